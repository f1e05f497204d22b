using Rebind.Core.Messaging;

namespace Rebind.Functions.Sms;

/// <summary>
/// Settings under <c>Sms</c>: where SMS codes may go and how many may go per hour (Twilio Verify's geo permissions
/// and Fraud Guard are the reference: toll fraud pumps SMS to expensive destinations through anonymous sign-ups).
/// </summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    /// <summary>ISO region codes SMS may go to, or <c>*</c> (<see cref="SmsRegions.DefaultList"/>).</summary>
    public SmsRegions AllowedRegions { get; init; } = SmsRegions.Default;

    /// <summary>SMS codes per hour across every destination (1000).</summary>
    public int BudgetPerHour { get; init; } = 1000;

    /// <summary>SMS codes per hour to the numbers of any one region (500), unless <see cref="RegionBudgetsPerHour"/> names it.</summary>
    public int BudgetPerRegionPerHour { get; init; } = 500;

    /// <summary>Per-region exceptions to <see cref="BudgetPerRegionPerHour"/>, by ISO code (e.g. <c>CN</c> = 800).</summary>
    public IReadOnlyDictionary<string, int> RegionBudgetsPerHour { get; init; } = new Dictionary<string, int>();

    /// <summary>The hourly budget of <paramref name="region"/>.</summary>
    public int BudgetOf(string region) => RegionBudgetsPerHour.TryGetValue(region, out var budget) ? budget : BudgetPerRegionPerHour;

    /// <summary>
    /// Reads the section: <c>Sms__AllowedRegions</c> as one list (<c>CN,US</c>) or as entries (<c>Sms__AllowedRegions__0</c>),
    /// <c>Sms__BudgetPerHour</c>, <c>Sms__BudgetPerRegionPerHour</c>, <c>Sms__RegionBudgetsPerHour__&lt;ISO&gt;</c>.
    /// Throws on anything unusable: a typo must not switch a country or a budget off silently.
    /// </summary>
    public static SmsOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new SmsOptions();
        var regions = section.GetSection("AllowedRegions");
        // An empty value (as local.settings.json leaves unused settings) is "not set": the default list, never "none".
        var list = !string.IsNullOrWhiteSpace(regions.Value) ? regions.Value
            : regions.GetChildren().Any() ? string.Join(",", regions.GetChildren().Select(c => c.Value)) : null;
        SmsRegions allowed;
        try
        {
            allowed = list is null ? SmsRegions.Default : SmsRegions.Parse(list);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Sms__AllowedRegions: {e.Message}", e);
        }

        var overrides = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var child in section.GetSection("RegionBudgetsPerHour").GetChildren())
        {
            overrides[child.Key.ToUpperInvariant()] = Positive(child.Value, $"Sms__RegionBudgetsPerHour__{child.Key}");
        }
        return new SmsOptions
        {
            AllowedRegions = allowed,
            BudgetPerHour = Set(section["BudgetPerHour"]) is { } global ? Positive(global, "Sms__BudgetPerHour") : defaults.BudgetPerHour,
            BudgetPerRegionPerHour = Set(section["BudgetPerRegionPerHour"]) is { } perRegion ? Positive(perRegion, "Sms__BudgetPerRegionPerHour") : defaults.BudgetPerRegionPerHour,
            RegionBudgetsPerHour = overrides,
        };
    }

    private static string? Set(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int Positive(string? value, string setting) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new InvalidOperationException($"{setting} must be a whole number ≥ 1 (SMS codes per hour).");
}
