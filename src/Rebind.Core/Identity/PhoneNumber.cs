using System.Globalization;
using System.Text;
using Rebind.Core.Flows;

namespace Rebind.Core.Identity;

/// <summary>
/// A phone number normalized to E.164 (<c>+8613812345678</c>). Create with <see cref="TryParse"/>.
/// <see cref="ToString"/> gives the masked form, so a number never lands whole in a log by accident.
/// </summary>
public sealed record PhoneNumber
{
    private const int MaxInputLength = 64;

    private PhoneNumber(int countryCode, string nationalNumber, string? region)
    {
        CountryCode = countryCode;
        NationalNumber = nationalNumber;
        Region = region;
    }

    public int CountryCode { get; }

    /// <summary>National significant number: digits after the country code, without trunk prefix.</summary>
    public string NationalNumber { get; }

    /// <summary>Best-guess ISO 3166 region (e.g. <c>CN</c>, <c>US</c>); null for global codes.</summary>
    public string? Region { get; }

    public string E164 => "+" + CountryCode.ToString(CultureInfo.InvariantCulture) + NationalNumber;

    /// <summary><c>+86*******5678</c>: country code and the last four digits (two for short numbers).</summary>
    public string Masked => Mask(CountryCode, NationalNumber);

    /// <summary>
    /// <see cref="Masked"/> for a stored E.164 value, without validating it again: a number stored under older
    /// rules must still be maskable. Anything not shaped like E.164 is masked whole.
    /// </summary>
    public static string MaskE164(string e164)
    {
        ArgumentNullException.ThrowIfNull(e164);
        var digits = e164.StartsWith('+') ? e164[1..] : e164;
        var code = CallingCodes.Match(digits);
        if (code == 0 || !digits.All(char.IsAsciiDigit))
        {
            return new string('*', e164.Length);
        }

        var national = digits[code.ToString(CultureInfo.InvariantCulture).Length..];
        return national.Length < 3 ? "+" + code.ToString(CultureInfo.InvariantCulture) + new string('*', national.Length) : Mask(code, national);
    }

    private static string Mask(int countryCode, string nationalNumber)
    {
        var shown = nationalNumber.Length > 6 ? 4 : 2;
        return "+" + countryCode.ToString(CultureInfo.InvariantCulture)
            + new string('*', nationalNumber.Length - shown) + nationalNumber[^shown..];
    }

    public override string ToString() => Masked;

    /// <summary>
    /// Parses international input (<c>+86 138-1234-5678</c>, <c>0044 20 7946 0958</c>) or national input in
    /// <paramref name="defaultRegion"/> (<c>(415) 555-2671</c> in <c>US</c>, <c>13812345678</c> in <c>CN</c>).
    /// Accepts full-width characters, spaces, dashes, dots, slashes and parentheses; rejects letters.
    /// </summary>
    public static bool TryParse(string? input, string? defaultRegion, out PhoneNumber number, out Error error)
    {
        number = null!;
        error = FlowErrors.InvalidPhone();
        if (!TryExtract(input, out var digits, out var international))
        {
            return false;
        }

        var regionCode = CallingCodes.ForRegion(defaultRegion);
        if (!international && digits.StartsWith("00", StringComparison.Ordinal))
        {
            (digits, international) = (digits[2..], true);
        }
        else if (!international && regionCode == 1 && digits.StartsWith("011", StringComparison.Ordinal))
        {
            (digits, international) = (digits[3..], true);
        }

        int countryCode;
        string? national;
        if (international)
        {
            countryCode = CallingCodes.Match(digits);
            national = countryCode == 0 ? null : NationalNumberRules.Normalize(countryCode, digits[CountDigits(countryCode)..]);
        }
        else
        {
            if (regionCode == 0)
            {
                return false;
            }

            countryCode = regionCode;
            national = NationalNumberRules.Normalize(countryCode, digits);
            var prefix = countryCode.ToString(CultureInfo.InvariantCulture);
            if (national is null && digits.StartsWith(prefix, StringComparison.Ordinal))
            {
                // "86 138..." typed without the plus.
                national = NationalNumberRules.Normalize(countryCode, digits[prefix.Length..]);
            }
        }

        if (national is null)
        {
            return false;
        }

        number = new PhoneNumber(countryCode, national, GuessRegion(countryCode, national, defaultRegion));
        error = null!;
        return true;
    }

    /// <summary>For values already normalized (e.g. read back from storage); throws when not valid.</summary>
    public static PhoneNumber FromE164(string e164) =>
        e164 is ['+', ..] && TryParse(e164, null, out var number, out _) && number.E164 == e164
            ? number
            : throw new FormatException("Not a normalized E.164 phone number.");

    private static bool TryExtract(string? input, out string digits, out bool international)
    {
        digits = string.Empty;
        international = false;
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return false;
        }

        var builder = new StringBuilder(input.Length);
        foreach (var raw in input.Normalize(NormalizationForm.FormKC))
        {
            var c = raw;
            if (c == '+')
            {
                if (builder.Length > 0 || international)
                {
                    return false;
                }

                international = true;
                continue;
            }

            var value = CharUnicodeInfo.GetDecimalDigitValue(c);
            if (value >= 0)
            {
                builder.Append((char)('0' + value));
            }
            else if (!(char.IsWhiteSpace(c) || c is '-' or '.' or '(' or ')' or '/' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation))
            {
                return false;
            }
        }

        digits = builder.ToString();
        return digits.Length is >= 4 and <= 20;
    }

    private static string? GuessRegion(int countryCode, string national, string? defaultRegion)
    {
        var regions = CallingCodes.Regions(countryCode);
        if (regions.Count == 0)
        {
            return null;
        }

        if (countryCode == 7)
        {
            return national[0] is '6' or '7' ? "KZ" : "RU";
        }

        var preferred = defaultRegion?.ToUpperInvariant();
        return preferred is not null && regions.Contains(preferred) ? preferred : regions[0];
    }

    private static int CountDigits(int value) => value < 10 ? 1 : value < 100 ? 2 : 3;
}
