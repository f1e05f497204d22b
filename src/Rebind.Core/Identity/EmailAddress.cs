using System.Globalization;
using Rebind.Core.Flows;

namespace Rebind.Core.Identity;

/// <summary>
/// An email address normalized for use as a unique identifier: trimmed, domain converted to ASCII (IDNA) and
/// the whole address lower-cased. Lower-casing the local part is a deliberate simplification: nearly all
/// providers treat it case-insensitively, and one account per mailbox matters more than RFC 5321's letter.
/// Quoted local parts, comments, IP-literal domains and non-ASCII local parts are refused.
/// </summary>
public sealed record EmailAddress
{
    private const int MaxLength = 254;
    private const int MaxLocalLength = 64;
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    public string LocalPart => Value[..Value.LastIndexOf('@')];

    public string Domain => Value[(Value.LastIndexOf('@') + 1)..];

    /// <summary><c>a***@example.com</c>: first character of the local part and the domain.</summary>
    public string Masked => LocalPart[..1] + "***@" + Domain;

    public override string ToString() => Masked;

    public static bool TryParse(string? input, out EmailAddress email, out Error error)
    {
        email = null!;
        error = FlowErrors.InvalidEmail();
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLength * 2)
        {
            return false;
        }

        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1 || trimmed.IndexOf('@') != at)
        {
            return false;
        }

        var local = trimmed[..at];
        if (!IsValidLocal(local))
        {
            return false;
        }

        string domain;
        try
        {
            domain = Idn.GetAscii(trimmed[(at + 1)..].TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (!IsValidDomain(domain))
        {
            return false;
        }

        var value = local.ToLowerInvariant() + "@" + domain;
        if (value.Length > MaxLength)
        {
            return false;
        }

        email = new EmailAddress(value);
        error = null!;
        return true;
    }

    private static bool IsValidLocal(string local)
    {
        if (local.Length > MaxLocalLength || local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidDomain(string domain)
    {
        var labels = domain.Split('.');
        if (labels.Length < 2 || domain.Length > 253)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return !labels[^1].All(char.IsAsciiDigit);
    }
}
