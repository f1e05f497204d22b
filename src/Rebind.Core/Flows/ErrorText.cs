namespace Rebind.Core.Flows;

/// <summary>User-facing text for every catalogue code, in <c>zh-CN</c> and <c>en</c>.</summary>
public static class ErrorText
{
    private static readonly Dictionary<string, (string En, string Zh)> Texts = new()
    {
        [FlowErrorCodes.InvalidCode] = ("The code is not correct.", "验证码不正确。"),
        [FlowErrorCodes.CodeExpired] = ("The code has expired. Ask for a new one.", "验证码已过期，请重新获取。"),
        [FlowErrorCodes.CodeUsed] = ("The code has already been used.", "验证码已被使用。"),
        [FlowErrorCodes.TooManyAttempts] = ("Too many wrong codes. Ask for a new one.", "验证码错误次数过多，请重新获取。"),
        [FlowErrorCodes.TooManySends] = ("Too many codes were sent for this request. Start again later.", "验证码发送次数过多，请稍后重新开始。"),
        [FlowErrorCodes.ResendCooldown] = ("Please wait before asking for a new code.", "请稍候再重新获取验证码。"),
        [FlowErrorCodes.FlowExpired] = ("This request has expired. Start again.", "操作已超时，请重新开始。"),
        [FlowErrorCodes.FlowCancelled] = ("This request was cancelled.", "操作已取消。"),
        [FlowErrorCodes.FlowCompleted] = ("This request is already complete.", "操作已完成。"),
        [FlowErrorCodes.FlowFailed] = ("This request has failed. Start again.", "操作失败，请重新开始。"),
        [FlowErrorCodes.FlowNotFound] = ("No such request.", "操作不存在。"),
        [FlowErrorCodes.InvalidState] = ("This action is not possible at this step.", "当前步骤无法执行此操作。"),
        [FlowErrorCodes.PhoneCannotReceiveSms] = ("This number cannot receive text messages (e.g. a landline). Use a mobile number.", "此号码无法接收短信（例如固定电话），请使用手机号码。"),
        [FlowErrorCodes.PhoneRegionNotSupported] = ("Text messages cannot be sent to numbers of this country or region. Use another number.", "暂不支持向该国家/地区的号码发送短信，请使用其他号码。"),
        [FlowErrorCodes.SmsBudgetExhausted] = ("Text messages cannot be sent right now. Try again later.", "短信服务暂时繁忙，请稍后再试。"),
        [FlowErrorCodes.InvalidPhone] = ("This is not a valid phone number. Include the country code, e.g. +86.", "手机号码无效，请包含国家/地区代码，例如 +86。"),
        [FlowErrorCodes.InvalidEmail] = ("This is not a valid email address.", "邮箱地址无效。"),
        [FlowErrorCodes.WeakPassword] = (
            "The password must be 8 to 128 characters with at least one letter and one digit, and not a common password.",
            "密码须为 8 至 128 个字符，至少包含一个字母和一个数字，且不能是常见密码。"),
        [FlowErrorCodes.PhoneAlreadyBound] = ("This phone number is already bound to another account. Unbind it there first.", "该手机号已绑定其他账号，请先在该账号中解绑。"),
        [FlowErrorCodes.EmailAlreadyBound] = ("This email address is already bound to another account. Unbind it there first.", "该邮箱已绑定其他账号，请先在该账号中解绑。"),
        [FlowErrorCodes.RateLimited] = ("Too many requests. Try again later.", "请求过于频繁，请稍后再试。"),
        [FlowErrorCodes.Forbidden] = ("You may not act on this request.", "无权执行此操作。"),
        [FlowErrorCodes.ReauthenticationRequired] = ("Sign in again to make this change.", "请重新登录后再进行此修改。"),
        [FlowErrorCodes.AccountChanged] = ("Your account changed while this request was open. Start again.", "操作期间您的账号信息已变更，请重新开始。"),
        [FlowErrorCodes.AccountHasPhone] = ("A phone number is already bound to your account. Change it instead.", "您的账号已绑定手机号，请使用更换手机号。"),
        [FlowErrorCodes.AccountHasNoPhone] = ("No phone number is bound to your account.", "您的账号未绑定手机号。"),
        [FlowErrorCodes.AccountHasEmail] = ("An email address is already bound to your account. Change it instead.", "您的账号已绑定邮箱，请使用更换邮箱。"),
        [FlowErrorCodes.AccountHasNoEmail] = ("No email address is bound to your account.", "您的账号未绑定邮箱。"),
        [FlowErrorCodes.PhoneUnchanged] = ("This is already the phone number of your account. Enter a new one.", "该号码已是您账号当前绑定的手机号，请输入新号码。"),
        [FlowErrorCodes.EmailUnchanged] = ("This is already the email address of your account. Enter a new one.", "该邮箱已是您账号当前绑定的邮箱，请输入新邮箱。"),
        [FlowErrorCodes.LastRecoveryChannel] = (
            "This is the last way to recover your account. Bind an email address before removing it.",
            "这是您找回账号的最后一种方式，请先绑定邮箱再解绑。"),
        [FlowErrorCodes.SecurityAnswersIncorrect] = ("The answers are not correct.", "密保问题答案不正确。"),
        [FlowErrorCodes.InvalidCancelCode] = ("This cancel code is not valid.", "取消码无效。"),
        [FlowErrorCodes.InvalidReportCode] = ("This link is not valid any more.", "此链接已失效。"),
        [FlowErrorCodes.PasswordSameAsCurrent] = ("The new password must differ from the current one.", "新密码不能与当前密码相同。"),
        [FlowErrorCodes.RecoveryRequiresSupport] = (
            "Without access to your phone or email, recover your account with the help of support.",
            "无法使用手机号或邮箱时，请通过客服申诉找回账号。"),
    };

    /// <summary>
    /// Text for <paramref name="code"/> in <paramref name="culture"/> (normalized by <see cref="Cultures"/>), from
    /// this catalogue or the account catalogue; null for an unknown code.
    /// </summary>
    public static string? For(string code, string? culture)
    {
        if (!Texts.TryGetValue(code, out var text))
        {
            return Accounts.AccountErrors.Text(code, culture) ?? Support.SupportErrors.Text(code, culture);
        }

        return Cultures.Normalize(culture) == Cultures.Chinese ? text.Zh : text.En;
    }
}
