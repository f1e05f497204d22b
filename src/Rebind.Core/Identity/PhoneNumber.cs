using System.Globalization;
using System.Text;
using PhoneNumbers;
using Rebind.Core.Flows;

namespace Rebind.Core.Identity;

/// <summary>
/// A phone number normalized to E.164 (<c>+8613812345678</c>), parsed and validated by libphonenumber (Google's
/// metadata for every country). Create with <see cref="TryParse"/>. <see cref="ToString"/> gives the masked form,
/// so a number never lands whole in a log by accident.
/// </summary>
public sealed record PhoneNumber
{
    private const int MaxInputLength = 64;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private PhoneNumber(int countryCode, string nationalNumber, string? region, PhoneNumberType type)
    {
        CountryCode = countryCode;
        NationalNumber = nationalNumber;
        Region = region;
        Type = type;
    }

    public int CountryCode { get; }

    /// <summary>National significant number: digits after the country code, without trunk prefix.</summary>
    public string NationalNumber { get; }

    /// <summary>ISO 3166 region (e.g. <c>CN</c>, <c>US</c>); null for non-geographic codes (+800, +881, …).</summary>
    public string? Region { get; }

    /// <summary>What the number is, by the library's metadata (mobile, fixed line, VoIP, premium rate, …).</summary>
    public PhoneNumberType Type { get; }

    /// <summary>
    /// Whether codes may be sent to it by SMS: mobile numbers, and numbers the metadata cannot tell from mobile
    /// (<c>FIXED_LINE_OR_MOBILE</c>, as in the US and Canada), of a country. Fixed lines, VoIP, pagers, premium and
    /// shared-cost numbers are refused, and so are the non-geographic codes (satellite and international networks such
    /// as +870, +881, +882, typed mobile by the metadata): SMS to them is a favourite of toll fraud.
    /// </summary>
    public bool CanReceiveSms => Region is not null && (Type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE);

    public string E164 => "+" + CountryCode.ToString(CultureInfo.InvariantCulture) + NationalNumber;

    /// <summary><c>+86*******5678</c>: the country code and the last four digits (two for short numbers), in every country.</summary>
    public string Masked => Mask(CountryCode, NationalNumber);

    /// <summary>
    /// <see cref="Masked"/> for a stored E.164 value, without validating it again: a number stored under older
    /// rules must still be maskable. Anything whose country code cannot be read is masked whole.
    /// </summary>
    public static string MaskE164(string e164)
    {
        ArgumentNullException.ThrowIfNull(e164);
        var digits = e164.StartsWith('+') ? e164[1..] : e164;
        var code = digits.All(char.IsAsciiDigit) ? CountryCodeOf(digits) : 0;
        if (code == 0)
        {
            return new string('*', e164.Length);
        }

        var national = digits[code.ToString(CultureInfo.InvariantCulture).Length..];
        return national.Length < 3 ? "+" + code.ToString(CultureInfo.InvariantCulture) + new string('*', national.Length) : Mask(code, national);
    }

    private static int CountryCodeOf(string digits)
    {
        // Calling codes are prefix-free, 1–3 digits long and never start with 0.
        if (digits.StartsWith('0'))
        {
            return 0;
        }
        for (var length = 1; length <= 3 && length < digits.Length; length++)
        {
            var code = int.Parse(digits.AsSpan(0, length), CultureInfo.InvariantCulture);
            if (Util.GetRegionCodeForCountryCode(code) != "ZZ")
            {
                return code;
            }
        }
        return 0;
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
    /// <paramref name="defaultRegion"/> (<c>(415) 555-2671</c> in <c>US</c>, <c>13812345678</c> in <c>CN</c>), and
    /// keeps it only if the library holds it valid. Accepts full-width characters, spaces, dashes, dots, slashes and
    /// parentheses; rejects letters (no vanity numbers) and extensions.
    /// </summary>
    public static bool TryParse(string? input, string? defaultRegion, out PhoneNumber number, out Error error)
    {
        number = null!;
        error = FlowErrors.InvalidPhone();
        if (!TryExtract(input, out var digits, out var international))
        {
            return false;
        }

        var region = defaultRegion?.Trim().ToUpperInvariant();
        if (!international && digits.StartsWith("00", StringComparison.Ordinal))
        {
            // The common international prefix, whatever region is given (the library knows each region's own too).
            (digits, international) = (digits[2..], true);
        }
        if (!international && (region is null || !Util.GetSupportedRegions().Contains(region)))
        {
            return false;
        }

        PhoneNumbers.PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(international ? "+" + digits : digits, international ? null : region);
        }
        catch (NumberParseException)
        {
            return false;
        }

        if (parsed.HasExtension || !Util.IsValidNumber(parsed))
        {
            return false;
        }

        var national = Util.GetNationalSignificantNumber(parsed);
        var regionOfNumber = Util.GetRegionCodeForNumber(parsed);
        number = new PhoneNumber(parsed.CountryCode, national, regionOfNumber is null or "001" or "ZZ" ? null : regionOfNumber, Util.GetNumberType(parsed));
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
        foreach (var c in input.Normalize(NormalizationForm.FormKC))
        {
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
}
