using Rebind.Core.Flows;
using Rebind.Core.Identity;

namespace Rebind.Core.Messaging;

/// <summary>
/// The countries and regions SMS may go to (Twilio Verify's "geo permissions"): ISO 3166 codes, or every region with
/// <c>*</c>. Non-geographic numbers (+800, +881, +882, …) belong to no region and are allowed only by <c>*</c> (and are
/// refused anyway by <see cref="PhoneNumber.CanReceiveSms"/> where a new number is typed).
/// </summary>
public sealed class SmsRegions
{
    /// <summary>
    /// What the app ships with: the markets of a zh-CN / English consumer app starting out (mainland China, Hong Kong,
    /// Macao, Taiwan, Singapore, Malaysia, the US, Canada, the UK, Australia, New Zealand). SMS pumping targets the
    /// countries an app does not serve, so start narrow and add a country when users there show up.
    /// </summary>
    public const string DefaultList = "CN,HK,MO,TW,SG,MY,US,CA,GB,AU,NZ";

    public const string Everywhere = "*";

    private readonly HashSet<string>? allowed;

    private SmsRegions(HashSet<string>? allowed) => this.allowed = allowed;

    public static SmsRegions Default { get; } = Parse(DefaultList);

    /// <summary>Every region in the allow-list, ordered; empty when all are allowed.</summary>
    public IReadOnlyList<string> Allowed => allowed is null ? [] : allowed.Order(StringComparer.Ordinal).ToList();

    public bool AllowsEverywhere => allowed is null;

    /// <summary>
    /// <paramref name="list"/>: codes separated by commas, semicolons or spaces (<c>CN,US</c>), or <c>*</c>. Throws on
    /// an empty list or a code libphonenumber does not know: a typo must not silently switch a country off.
    /// </summary>
    public static SmsRegions Parse(string? list)
    {
        var codes = (list ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToUpperInvariant())
            .ToList();
        if (codes.Count == 0)
        {
            throw new ArgumentException("The SMS region list is empty: name ISO region codes (e.g. CN,US) or '*'.", nameof(list));
        }
        if (codes.Contains(Everywhere))
        {
            return new SmsRegions(null);
        }

        var known = PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions();
        var unknown = codes.Where(c => !known.Contains(c)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown region code(s) in the SMS region list: {string.Join(", ", unknown)}.", nameof(list));
        }
        return new SmsRegions(new HashSet<string>(codes, StringComparer.Ordinal));
    }

    /// <summary>Whether SMS may go to a number of <paramref name="region"/> (null: a non-geographic number).</summary>
    public bool Allows(string? region) => allowed is null || (region is not null && allowed.Contains(region));

    /// <summary><c>phone_region_not_supported</c> for a number outside the list, else null.</summary>
    public Error? Check(PhoneNumber phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return Allows(phone.Region) ? null : FlowErrors.PhoneRegionNotSupported(phone.Region);
    }

    /// <summary>
    /// A number typed to receive SMS codes (sign-up, bind, a new phone): first what it is (<c>phone_cannot_receive_sms</c>
    /// for a landline or a satellite number), then where it is (<c>phone_region_not_supported</c>). Depends on the
    /// number alone, so it is answered before anything is looked up or written.
    /// </summary>
    public Error? CheckNewNumber(PhoneNumber phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return phone.CanReceiveSms ? Check(phone) : FlowErrors.PhoneCannotReceiveSms();
    }

    /// <summary><see cref="Check(PhoneNumber)"/> for a stored E.164 value; a value that no longer parses is outside every list but <c>*</c>.</summary>
    public Error? CheckE164(string e164) =>
        PhoneNumber.TryParse(e164, null, out var phone, out _) ? Check(phone) : Allows(null) ? null : FlowErrors.PhoneRegionNotSupported(null);

    /// <summary>The region a destination's budget is counted on: its ISO code, or <c>001</c> (non-geographic, as libphonenumber names it).</summary>
    public static string BudgetRegionOf(string e164) =>
        PhoneNumber.TryParse(e164, null, out var phone, out _) && phone.Region is { } region ? region : "001";
}
