using Rebind.Core.Flows;

namespace Rebind.Core.Accounts;

/// <summary>
/// The catalogue of sign-in, session and account-settings errors, with their texts in both cultures
/// (<see cref="Text"/>). Details keys are camelCase (<c>retryAfterSeconds</c>, <c>rule</c>).
/// </summary>
public static class AccountErrors
{
    public const string InvalidCredentialsCode = "invalid_credentials";
    public const string SignInThrottledCode = "sign_in_throttled";
    public const string PasswordResetRequiredCode = "password_reset_required";
    public const string SessionNotFoundCode = "session_not_found";
    public const string InvalidSecurityQuestionsCode = "invalid_security_questions";
    public const string CurrentPasswordIncorrectCode = "current_password_incorrect";
    public const string PasswordReusedCode = "password_reused";
    public const string DeviceNotFoundCode = "device_not_found";

    /// <summary>A security change refused while a hold (<c>Holds__*</c>) is on; the problem says why and until when.</summary>
    public const string SecurityChangeHeldCode = "security_change_held";

    /// <summary>The same code the flow catalogue uses, so clients have one code to branch on.</summary>
    public const string ReauthenticationRequiredCode = FlowErrorCodes.ReauthenticationRequired;

    private static readonly Dictionary<string, (string En, string Zh)> Texts = new()
    {
        [InvalidCredentialsCode] = ("The account or password is not correct.", "账号或密码错误。"),
        [SignInThrottledCode] = ("Too many failed sign-ins. Wait before trying again.", "登录失败次数过多，请稍后再试。"),
        [PasswordResetRequiredCode] = ("Reset the password before signing in to this account again.", "请先重置密码，再登录此账号。"),
        [ReauthenticationRequiredCode] = ("Sign in again to make this change.", "请重新登录后再进行此修改。"),
        [SessionNotFoundCode] = ("No such session.", "会话不存在。"),
        [InvalidSecurityQuestionsCode] = ("The security questions are not valid.", "密保问题无效。"),
        [CurrentPasswordIncorrectCode] = ("The current password is not correct.", "当前密码错误。"),
        [PasswordReusedCode] = ("Choose a password you have not used recently.", "不能使用最近用过的密码。"),
        [DeviceNotFoundCode] = ("No such device.", "设备不存在。"),
        [SecurityChangeHeldCode] = ("Security changes are held on this account for now. Try again later, or reset the password with a code.", "此账号的安全设置暂时无法修改，请稍后再试，或通过验证码重置密码。"),
    };

    public static IReadOnlyCollection<string> All => Texts.Keys;

    /// <summary>
    /// Unknown account and wrong password alike: the answer must not say which.
    /// </summary>
    public static Error InvalidCredentials() =>
        new(InvalidCredentialsCode, "The account or password is not correct.", ErrorKind.Unauthorized);

    public static Error SignInThrottled(int retryAfterSeconds) =>
        new Error(SignInThrottledCode, $"Too many failed sign-ins. Try again in {retryAfterSeconds} seconds.", ErrorKind.TooManyRequests)
            .With("retryAfterSeconds", retryAfterSeconds);

    /// <summary>Only ever answered after the correct password, so it tells an attacker nothing new.</summary>
    public static Error PasswordResetRequired() =>
        new(PasswordResetRequiredCode, "Reset the password before signing in to this account again.", ErrorKind.Forbidden);

    /// <param name="reason">Which rule holds it: <c>sign_in_reported</c>, <c>failed_codes</c> or <c>new_device</c>.</param>
    /// <param name="opensAt">When the change is possible again (as far as that rule goes).</param>
    public static Error SecurityChangeHeld(string reason, DateTimeOffset opensAt) =>
        new Error(SecurityChangeHeldCode, "Security changes are held on this account for now. Try again later, or reset the password with a code.", ErrorKind.Forbidden)
            .With("reason", reason)
            .With("opensAt", opensAt);

    public static Error ReauthenticationRequired() =>
        new(ReauthenticationRequiredCode, "Sign in again to make this change.", ErrorKind.Unauthorized);

    /// <summary>Asked of a signed-in caller only: the account exists, so saying the password is wrong reveals nothing.</summary>
    public static Error CurrentPasswordIncorrect() =>
        new(CurrentPasswordIncorrectCode, "The current password is not correct.", ErrorKind.Validation);

    /// <param name="remembered">How many passwords (the current one included) a new one must differ from.</param>
    public static Error PasswordReused(int remembered) =>
        new Error(PasswordReusedCode, "Choose a password you have not used recently.", ErrorKind.Validation).With("remembered", remembered);

    public static Error DeviceNotFound() =>
        new(DeviceNotFoundCode, "No such device.", ErrorKind.NotFound);

    public static Error SessionNotFound() =>
        new(SessionNotFoundCode, "No such session.", ErrorKind.NotFound);

    /// <param name="rule"><c>count</c>, <c>question</c>, <c>answer</c> or <c>duplicate</c>.</param>
    public static Error InvalidSecurityQuestions(string rule) =>
        new Error(InvalidSecurityQuestionsCode, rule switch
        {
            "count" => "Choose exactly three security questions.",
            "question" => "Each question must be one of the catalogue's, by its id.",
            "answer" => "Each answer must be 1 to 100 characters.",
            "duplicate" => "The questions must differ from each other.",
            _ => "The security questions are not valid.",
        }, ErrorKind.Validation).With("rule", rule);

    /// <summary>Text for <paramref name="code"/> in <paramref name="culture"/>; null for a code not in this catalogue.</summary>
    public static string? Text(string code, string? culture) =>
        Texts.TryGetValue(code, out var text) ? (Cultures.Normalize(culture) == Cultures.Chinese ? text.Zh : text.En) : null;
}
