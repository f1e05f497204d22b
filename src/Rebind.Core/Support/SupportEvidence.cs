namespace Rebind.Core.Support;

/// <summary>
/// What the user remembers, as filed with a support case (never a password: earlier passwords are checked when the
/// case is filed and only their <see cref="PasswordVerdict"/>s are kept). Stored with the case as JSON.
/// </summary>
/// <param name="Phone">The old phone number, E.164, if given.</param>
/// <param name="Email">The bound email, normalized, if given.</param>
/// <param name="SignUpDate">The approximate sign-up date (a day; a month is given as its first day).</param>
/// <param name="Places">Recent sign-in places: IP addresses or prefixes, or ISO country codes.</param>
/// <param name="Devices">Recent sign-in devices: names or browsers/apps as the user recalls them.</param>
/// <param name="Contacts">Names of frequent contacts.</param>
public sealed record SupportEvidence(
    string? Phone = null,
    string? Email = null,
    DateOnly? SignUpDate = null,
    IReadOnlyList<string>? Places = null,
    IReadOnlyList<string>? Devices = null,
    IReadOnlyList<string>? Contacts = null,
    string? Nickname = null,
    string? Team = null)
{
    /// <summary>At most this many entries per list, and characters per entry.</summary>
    public const int MaxItems = 10;

    public const int MaxLength = 100;

    /// <summary>This evidence with <paramref name="more"/> added: lists appended (distinct, capped), values given replace.</summary>
    public SupportEvidence Merge(SupportEvidence more)
    {
        ArgumentNullException.ThrowIfNull(more);
        return new SupportEvidence(
            more.Phone ?? Phone,
            more.Email ?? Email,
            more.SignUpDate ?? SignUpDate,
            Join(Places, more.Places),
            Join(Devices, more.Devices),
            Join(Contacts, more.Contacts),
            more.Nickname ?? Nickname,
            more.Team ?? Team);
    }

    private static List<string>? Join(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null && b is null ? null : (a ?? []).Concat(b ?? []).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxItems * 2).ToList();
}

/// <summary>What one earlier password typed with a case matched: never the password, never a hash.</summary>
public enum PasswordVerdict
{
    /// <summary>None of the account's remembered passwords (or there is no account).</summary>
    NoMatch,

    /// <summary>The current password.</summary>
    Current,

    /// <summary>One of the passwords before the current one.</summary>
    Previous,
}

/// <summary>A sign-in as the records hold it (the account's history).</summary>
public sealed record SignInRecord(DateTimeOffset At, string? IpAddress, string? DeviceName, string? UserAgent, string? Country = null);

/// <summary>
/// What the records hold about the account a case names, as the scorer compares it (no secret: passwords are
/// compared when the case is filed). Null for a case whose account does not exist.
/// </summary>
public sealed record SupportRecords(
    string? Phone,
    string? Email,
    DateTimeOffset CreatedAt,
    string? Nickname,
    string? Team,
    IReadOnlyList<SignInRecord> SignIns,
    IReadOnlyList<string> KnownDeviceNames,
    IReadOnlyList<string>? Contacts = null);
