using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Rebind.Core.Messaging;

/// <summary>
/// Renders an <see cref="OutboundMessage"/> in zh-CN or English. Pure: no I/O, no clock.
/// The SMS text is also the email's plain-text part; email additionally gets HTML with every value encoded.
/// Code messages fit one SMS segment (70 UCS-2 / 160 GSM-7 characters) with a 6-digit code and 10 minutes.
/// </summary>
public static partial class MessageTemplates
{
    private const string IfNotYouEn = "If this wasn't you, recover your account in the Rebind app at once and change your password.";
    private const string IfNotYouZh = "如非本人操作，请立即在Rebind应用中找回账号并修改密码。";

    // Values a template may do without; a line naming a missing optional value is left out.
    private static readonly HashSet<string> Optional = new(StringComparer.Ordinal) { "cancelUrl", "reportUrl" };

    private static readonly Dictionary<string, Template> En = new(StringComparer.Ordinal)
    {
        [MessageKinds.SignupCode] = new(
            "Your Rebind sign-up code",
            "Rebind: your sign-up code is {code}. It expires in {minutes} minutes. Never share it with anyone."),
        [MessageKinds.BindPhoneCode] = new(
            "Your Rebind code to bind a phone",
            "Rebind: your code to bind this phone is {code}. It expires in {minutes} minutes. Never share it with anyone."),
        [MessageKinds.VerifyOldPhoneCode] = new(
            "Your Rebind code to change your phone",
            "Rebind: your code to change or unbind this phone is {code}. It expires in {minutes} minutes. Not you? Ignore this."),
        [MessageKinds.EmailCode] = new(
            "Your Rebind email verification code",
            "Rebind: your email verification code is {code}. It expires in {minutes} minutes. Never share it with anyone."),
        [MessageKinds.RecoveryEmailCode] = new(
            "Your Rebind account recovery code",
            "Rebind: your account recovery code is {code}. It expires in {minutes} minutes. Not you? Ignore this."),
        [MessageKinds.PasswordResetCode] = new(
            "Your Rebind password reset code",
            "Rebind: your password reset code is {code}. It expires in {minutes} minutes. Not you? Ignore this."),
        [MessageKinds.PhoneUnboundNotice] = new(
            "This number was unbound from your Rebind account",
            "Rebind: this number was unbound from your account at {time}; the new number is {maskedNewPhone}.",
            "If this wasn't you, recover your account in the Rebind app at once."),
        [MessageKinds.PhoneChangedNotice] = new(
            "Your Rebind phone number was changed",
            "Rebind: the phone number on your account was changed to {maskedNewPhone} at {time}.",
            IfNotYouEn),
        [MessageKinds.EmailChangedNotice] = new(
            "Your Rebind email address was changed",
            "Rebind: the email address on your account was changed to {maskedNewEmail} at {time}.",
            IfNotYouEn),
        [MessageKinds.PasswordResetNotice] = new(
            "Your Rebind password was reset",
            "Rebind: your password was reset at {time} and your other sessions were signed out.",
            IfNotYouEn),
        [MessageKinds.SecurityChangePendingNotice] = new(
            "A change to your Rebind phone number is pending",
            "Rebind: at {time} someone asked to change your phone number to {maskedNewPhone}. It takes effect after a waiting period.",
            "If this wasn't you, cancel it in the Rebind app with code {cancelCode}.",
            "Or cancel it here: {cancelUrl}"),
        [MessageKinds.AccountChangeCode] = new(
            "Your Rebind code to confirm an account change",
            "Rebind: your code to confirm a change to your account is {code}. It expires in {minutes} minutes. Not you? Ignore this."),
        [MessageKinds.PhoneRemovedNotice] = new(
            "A phone number was removed from your Rebind account",
            "Rebind: the phone number {maskedPhone} was removed from your account at {time}.",
            IfNotYouEn),
        [MessageKinds.ContactAddedNotice] = new(
            "A contact was added to your Rebind account",
            "Rebind: {maskedContact} was added to your account at {time}. It cannot be used to recover the account or reset its password until {heldUntil}.",
            "Not you? Open {reportUrl} before {heldUntil}: it removes {maskedContact} from your account and signs out every device.",
            "If this wasn't you, also reset your password with this phone or email."),
        [MessageKinds.SecurityNotice] = new(
            "Security notice for your Rebind account",
            "Rebind: security event on your account at {time}: {event}.",
            IfNotYouEn),
        [MessageKinds.SupportCaseInfoRequested] = new(
            "Support needs more information about your Rebind recovery case",
            "Rebind: at {time} support asked for more information about your account recovery case. Open the case in the Rebind app to add it."),
        [MessageKinds.SupportCaseApproved] = new(
            "Your Rebind recovery case was approved",
            "Rebind: your account recovery case was approved at {time}. It takes effect at {until} unless the account's owner cancels it."),
        [MessageKinds.SupportCaseRejected] = new(
            "Your Rebind recovery case was rejected",
            "Rebind: your account recovery case was rejected at {time}. Reason: {reason}"),
        [MessageKinds.SupportCaseExpired] = new(
            "Your Rebind recovery case expired",
            "Rebind: your account recovery case expired at {time} without a decision. You can file a new one."),
        [MessageKinds.SupportCaseCompleted] = new(
            "Your Rebind account was recovered",
            "Rebind: your account was recovered at {time} and this phone is now bound. Sign in and set a new password."),
        [MessageKinds.DeviceSignInCode] = new(
            "Your Rebind code to sign in on a new device",
            "Rebind: your code to sign in on a new device is {code}. It expires in {minutes} minutes. Not you? Change your password."),
        [MessageKinds.SignInAlertNotice] = new(
            "New sign-in to your Rebind account",
            "Rebind: your account was signed in on a new device ({device}, {place}) at {time}.",
            "Not you? Open {reportUrl}: it signs that device out and asks for a new password before the next sign-in."),
    };

    private static readonly Dictionary<string, Template> Zh = new(StringComparer.Ordinal)
    {
        [MessageKinds.SignupCode] = new(
            "Rebind 注册验证码",
            "【Rebind】您的注册验证码是{code}，{minutes}分钟内有效。请勿泄露给他人。"),
        [MessageKinds.BindPhoneCode] = new(
            "Rebind 绑定手机验证码",
            "【Rebind】您正在绑定此手机号，验证码{code}，{minutes}分钟内有效。请勿泄露给他人。"),
        [MessageKinds.VerifyOldPhoneCode] = new(
            "Rebind 更换手机验证码",
            "【Rebind】您正在更换或解绑此手机号，验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略。"),
        [MessageKinds.EmailCode] = new(
            "Rebind 邮箱验证码",
            "【Rebind】您的邮箱验证码是{code}，{minutes}分钟内有效。请勿泄露给他人。"),
        [MessageKinds.RecoveryEmailCode] = new(
            "Rebind 找回账号验证码",
            "【Rebind】您正在找回账号，验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略。"),
        [MessageKinds.PasswordResetCode] = new(
            "Rebind 重置密码验证码",
            "【Rebind】您正在重置密码，验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略。"),
        [MessageKinds.PhoneUnboundNotice] = new(
            "此手机号已与您的 Rebind 账号解绑",
            "【Rebind】此手机号已于{time}与您的账号解除绑定，新手机号为{maskedNewPhone}。",
            "如非本人操作，请立即在Rebind应用中找回账号。"),
        [MessageKinds.PhoneChangedNotice] = new(
            "您的 Rebind 账号手机号已更换",
            "【Rebind】您账号绑定的手机号已于{time}更换为{maskedNewPhone}。",
            IfNotYouZh),
        [MessageKinds.EmailChangedNotice] = new(
            "您的 Rebind 账号邮箱已更换",
            "【Rebind】您账号绑定的邮箱已于{time}更换为{maskedNewEmail}。",
            IfNotYouZh),
        [MessageKinds.PasswordResetNotice] = new(
            "您的 Rebind 账号密码已重置",
            "【Rebind】您的账号密码已于{time}重置，其他设备上的登录已全部退出。",
            IfNotYouZh),
        [MessageKinds.SecurityChangePendingNotice] = new(
            "您的 Rebind 账号有一项待生效的手机号更换",
            "【Rebind】您的账号于{time}申请将手机号更换为{maskedNewPhone}，等待期结束后生效。",
            "如非本人操作，请在Rebind应用中输入取消码{cancelCode}取消此次更换。",
            "或通过此链接取消：{cancelUrl}"),
        [MessageKinds.AccountChangeCode] = new(
            "Rebind 账号信息修改验证码",
            "【Rebind】您正在修改账号信息，验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略。"),
        [MessageKinds.PhoneRemovedNotice] = new(
            "您的 Rebind 账号已解绑手机号",
            "【Rebind】手机号{maskedPhone}已于{time}与您的账号解除绑定。",
            IfNotYouZh),
        [MessageKinds.ContactAddedNotice] = new(
            "您的 Rebind 账号新增了联系方式",
            "【Rebind】您的账号于{time}新增绑定了{maskedContact}。在{heldUntil}之前，它不能用于找回账号或重置密码。",
            "如非本人操作，请在{heldUntil}之前打开{reportUrl}：将从您的账号移除{maskedContact}，并退出所有设备的登录。",
            "如非本人操作，还请用此手机号或邮箱重置密码。"),
        [MessageKinds.SecurityNotice] = new(
            "Rebind 账号安全提醒",
            "【Rebind】您的账号于{time}发生安全事件：{event}。",
            IfNotYouZh),
        [MessageKinds.SupportCaseInfoRequested] = new(
            "客服需要您补充 Rebind 账号申诉信息",
            "【Rebind】客服于{time}请求您补充账号申诉的信息，请在Rebind应用中打开申诉进行补充。"),
        [MessageKinds.SupportCaseApproved] = new(
            "您的 Rebind 账号申诉已通过",
            "【Rebind】您的账号申诉已于{time}通过，将于{until}生效（账号所有者可在此之前取消）。"),
        [MessageKinds.SupportCaseRejected] = new(
            "您的 Rebind 账号申诉未通过",
            "【Rebind】您的账号申诉已于{time}被驳回。原因：{reason}"),
        [MessageKinds.SupportCaseExpired] = new(
            "您的 Rebind 账号申诉已过期",
            "【Rebind】您的账号申诉于{time}到期未处理，您可以重新提交。"),
        [MessageKinds.SupportCaseCompleted] = new(
            "您的 Rebind 账号已找回",
            "【Rebind】您的账号已于{time}找回，此手机号现已绑定。请登录并设置新密码。"),
        [MessageKinds.DeviceSignInCode] = new(
            "Rebind 新设备登录验证码",
            "【Rebind】您正在新设备上登录，验证码{code}，{minutes}分钟内有效。如非本人操作，请修改密码。"),
        [MessageKinds.SignInAlertNotice] = new(
            "您的 Rebind 账号在新设备上登录",
            "【Rebind】您的账号于{time}在新设备（{device}，{place}）上登录。",
            "如非本人操作，请打开{reportUrl}：将退出该设备的登录，下次登录前须重置密码。"),
    };

    /// <summary>Renders <paramref name="message"/>; HTML only for <see cref="Channel.Email"/>.</summary>
    /// <exception cref="ArgumentException">Unknown kind, or a required value is missing (a bug in the caller).</exception>
    public static RenderedMessage Render(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var zh = IsChinese(message.Culture);
        var templates = zh ? Zh : En;
        if (!templates.TryGetValue(message.Kind, out var template))
        {
            throw new ArgumentException($"Unknown message kind '{message.Kind}'.", nameof(message));
        }

        var lines = new List<string>();
        var htmlLines = new List<string>();
        foreach (var line in template.Lines)
        {
            if (MissesOptionalValue(line, message.Values))
            {
                continue;
            }

            lines.Add(Fill(line, message, encode: false));
            htmlLines.Add(Fill(WebUtility.HtmlEncode(line), message, encode: true));
        }

        var text = string.Join("\n", lines);
        string? html = null;
        if (message.Channel == Channel.Email)
        {
            var body = new StringBuilder();
            body.Append("<!DOCTYPE html><html lang=\"").Append(zh ? "zh-CN" : "en").Append("\"><head><meta charset=\"utf-8\"><title>")
                .Append(WebUtility.HtmlEncode(template.Subject)).Append("</title></head><body>");
            foreach (var line in htmlLines)
            {
                body.Append("<p>").Append(line).Append("</p>");
            }
            html = body.Append("</body></html>").ToString();
        }

        return new RenderedMessage(template.Subject, text, html);
    }

    /// <summary>Rendered in zh-CN when <see cref="Cultures.Normalize"/> says Chinese; everything else is English.</summary>
    public static bool IsChinese(string? culture) => Cultures.Normalize(culture) == Cultures.Chinese;

    private static bool MissesOptionalValue(string line, IReadOnlyDictionary<string, string> values)
    {
        foreach (Match match in Placeholder().Matches(line))
        {
            var name = match.Groups[1].Value;
            if (Optional.Contains(name) && (!values.TryGetValue(name, out var value) || string.IsNullOrEmpty(value)))
            {
                return true;
            }
        }
        return false;
    }

    private static string Fill(string line, OutboundMessage message, bool encode) =>
        Placeholder().Replace(line, match =>
        {
            var name = match.Groups[1].Value;
            if (!message.Values.TryGetValue(name, out var value) || value is null)
            {
                // The value itself is never put in the exception: it may be a code.
                throw new ArgumentException($"Message kind '{message.Kind}' needs the value '{name}'.", nameof(message));
            }
            return encode ? WebUtility.HtmlEncode(value) : value;
        });

    [GeneratedRegex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private sealed record Template(string Subject, params string[] Lines);
}
