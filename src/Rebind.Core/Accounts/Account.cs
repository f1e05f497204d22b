namespace Rebind.Core.Accounts;

/// <summary>
/// A user account. Identifiers (phone, email) are also claimed in the identifier index, which is what makes
/// them unique; the account row mirrors the claim. Stored as JSON: add members freely, never repurpose one.
/// </summary>
public sealed record Account
{
    public required string Id { get; init; }

    /// <summary>Bound phone, E.164; null when none is bound.</summary>
    public string? Phone { get; init; }

    /// <summary>Bound email, normalized; null when none is bound.</summary>
    public string? Email { get; init; }

    /// <summary>PBKDF2 hash (see <c>PasswordHasher</c>); never the password.</summary>
    public required string PasswordHash { get; init; }

    /// <summary>Wrong security answers across every recovery flow since the owner last signed in.</summary>
    public int FailedSecurityAnswers { get; init; }

    /// <summary>
    /// Set when <see cref="FailedSecurityAnswers"/> reached the limit: recovery by questions treats the account as one
    /// without questions until the owner signs in again.
    /// </summary>
    public DateTimeOffset? SecurityAnswersLockedAt { get; init; }

    /// <summary>Until then the bound phone was added recently and cannot be used to recover the account.</summary>
    public DateTimeOffset? PhoneRecoveryHeldUntil { get; init; }

    /// <summary>Until then the bound email was added recently and cannot be used to recover the account.</summary>
    public DateTimeOffset? EmailRecoveryHeldUntil { get; init; }

    /// <summary>The bound contact of <paramref name="kind"/>: the phone (E.164) or the email; null when none is bound.</summary>
    public string? Contact(IdentifierKind kind) => kind == IdentifierKind.Phone ? Phone : Email;

    /// <summary>
    /// The account as recovery sees it at <paramref name="now"/>: contacts still in their holding period are left out,
    /// so the sign-in-page flows treat them exactly like contacts no account has.
    /// </summary>
    public Account ForRecovery(DateTimeOffset now) => this with
    {
        Phone = PhoneRecoveryHeldUntil > now ? null : Phone,
        Email = EmailRecoveryHeldUntil > now ? null : Email,
    };

    /// <summary>Changes on every security change; sessions minted under an older stamp are dead.</summary>
    public required string SecurityStamp { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? PasswordChangedAt { get; init; }

    /// <summary>Hashes of the passwords before the current one, newest first, at most
    /// <see cref="PasswordHistory.Remembered"/> − 1: a new password may be none of them.</summary>
    public IReadOnlyList<string> PreviousPasswordHashes { get; init; } = [];

    /// <summary>
    /// Failed password checks by the account's own clients (its <see cref="KnownDevices"/>, re-authentication in its
    /// sessions) since the last success; drives their growing delays and the lock ceiling. Other clients' failures
    /// count per client elsewhere and never reach this counter.
    /// </summary>
    public int ConsecutiveFailedSignIns { get; init; }

    public DateTimeOffset? LastFailedSignInAt { get; init; }

    /// <summary>
    /// Set when the owner said a sign-in "wasn't me", or support recovered the account for someone: the right password
    /// no longer signs in (<c>403 password_reset_required</c>) until a password reset, which clears it.
    /// </summary>
    public DateTimeOffset? PasswordResetRequiredAt { get; init; }

    /// <summary>When the owner last used a sign-in alert's "this wasn't me" code: security changes are held for a while after.</summary>
    public DateTimeOffset? SignInReportedAt { get; init; }

    /// <summary>Devices that signed in with the right password, most recent first (at most <see cref="KnownDevice.MaxPerAccount"/>).</summary>
    public IReadOnlyList<KnownDevice> KnownDevices { get; init; } = [];

    /// <summary>Everything else attached to the account (nickname, avatar, ...): untouched by rebinds.</summary>
    public IReadOnlyDictionary<string, string> Profile { get; init; } = new Dictionary<string, string>();

    /// <summary>Kind-specific extension data owned by other features (e.g. security questions), stored with the account.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = new Dictionary<string, string>();

    /// <summary>Up to three questions with hashed answers (see <c>SecurityAnswers</c>); empty when none are set.</summary>
    public IReadOnlyList<SecurityQuestion> SecurityQuestions { get; init; } = [];

    /// <summary>
    /// A short digest of <paramref name="securityStamp"/> that a flow keeps to notice, when it applies, that a security
    /// change happened since it started (the stamp itself stays with the account).
    /// </summary>
    public static string StampRef(string securityStamp) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(securityStamp)))[..16];

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
