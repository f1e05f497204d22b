using System.Collections.Frozen;
using Rebind.Core.Flows;

namespace Rebind.Core.Security;

/// <summary>
/// 8–128 characters, at least one letter and one digit, not a common password (case-insensitive; the embedded
/// list holds about 2,000 of the most common passwords, from SecLists' 10k list plus common Chinese ones).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommon);

    /// <summary>Number of entries in the common-password list.</summary>
    public static int CommonPasswordCount => Common.Value.Count;

    public static bool IsCommon(string password) => Common.Value.Contains(password);

    /// <summary>Null when acceptable, else <c>weak_password</c> whose message and <c>rule</c> detail name the failed rule.</summary>
    public static Error? Check(string? password)
    {
        if (password is null)
        {
            return FlowErrors.WeakPassword("length");
        }

        // Judge the password that is stored: its NFKC form (see PasswordHasher).
        password = PasswordHasher.Normalize(password);

        // Length in Unicode scalar values, so a CJK or emoji password is measured as the user sees it.
        var length = password.EnumerateRunes().Count();
        if (length is < MinLength or > MaxLength)
        {
            return FlowErrors.WeakPassword("length");
        }

        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            return FlowErrors.WeakPassword("letter_and_digit");
        }

        return IsCommon(password) ? FlowErrors.WeakPassword("common") : null;
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("Rebind.Core.Security.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line.Trim());
            }
        }

        return set.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
