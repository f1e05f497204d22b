using System.Text.RegularExpressions;

namespace Rebind.Core.Identity;

/// <summary>
/// National significant number rules for the main markets. Elsewhere only the generic E.164 limits apply
/// (national part of 4 or more digits, 15 digits in all).
/// </summary>
internal static partial class NationalNumberRules
{
    /// <param name="Trunk">National trunk prefix dropped from national input ("0", NANP "1", Russia "8").</param>
    internal sealed record Rule(Regex Pattern, string? Trunk);

    private static readonly Dictionary<int, Rule> Rules = new()
    {
        // China: mobile 1[3-9] + 9 digits; Beijing 10 + 8; other landlines 9–11 digits.
        [86] = new(new Regex(@"^(?:1[3-9]\d{9}|10\d{8}|[2-9]\d{8,10})$"), "0"),
        // NANP: NPA [2-9][0-8]X and NXX [2-9]XX, neither N11.
        [1] = new(new Regex(@"^[2-9](?!11)[0-8]\d[2-9](?!11)\d{2}\d{4}$"), "1"),
        [44] = new(new Regex(@"^[1-9]\d{8,9}$"), "0"),
        [49] = new(new Regex(@"^[1-9]\d{5,12}$"), "0"),
        [33] = new(new Regex(@"^[1-9]\d{8}$"), "0"),
        [81] = new(new Regex(@"^[1-9]\d{8,9}$"), "0"),
        [82] = new(new Regex(@"^[1-9]\d{7,9}$"), "0"),
        [852] = new(new Regex(@"^[2-9]\d{7}$"), null),
        [853] = new(new Regex(@"^[2-8]\d{7}$"), null),
        [886] = new(new Regex(@"^[2-9]\d{7,8}$"), "0"),
        [65] = new(new Regex(@"^[3689]\d{7}$"), null),
        [60] = new(new Regex(@"^1\d{8,9}$|^[3-9]\d{7,8}$"), "0"),
        [61] = new(new Regex(@"^[2-478]\d{8}$"), "0"),
        [91] = new(new Regex(@"^[1-9]\d{9}$"), "0"),
        // Russia 3/4/8/9, Kazakhstan 6/7; trunk "8".
        [7] = new(new Regex(@"^[346-9]\d{9}$"), "8"),
    };

    public static bool HasRule(int countryCode) => Rules.ContainsKey(countryCode);

    /// <summary>
    /// The national significant number for <paramref name="national"/> digits, dropping a trunk prefix only
    /// when the digits are not valid as they stand; null when invalid.
    /// </summary>
    public static string? Normalize(int countryCode, string national)
    {
        if (IsValid(countryCode, national))
        {
            return national;
        }

        var trunk = Rules.TryGetValue(countryCode, out var rule) ? rule.Trunk : null;
        if (trunk is not null && national.StartsWith(trunk, StringComparison.Ordinal) && IsValid(countryCode, national[trunk.Length..]))
        {
            return national[trunk.Length..];
        }

        return null;
    }

    private static bool IsValid(int countryCode, string national)
    {
        var total = CountDigits(countryCode) + national.Length;
        if (national.Length < 4 || total > 15)
        {
            return false;
        }

        return Rules.TryGetValue(countryCode, out var rule) ? rule.Pattern.IsMatch(national) : national[0] != '0' || countryCode == 39;
    }

    private static int CountDigits(int value) => value < 10 ? 1 : value < 100 ? 2 : 3;
}
