namespace Rebind.Core.Support;

/// <summary>The errors of support-assisted recovery, each with a stable code and text in both cultures.</summary>
public static class SupportErrors
{
    public const string CaseOpenCode = "support_case_open";
    public const string RejectedCode = "support_case_rejected";
    public const string NoAccountCode = "support_case_no_account";
    public const string SupervisorRequiredCode = "supervisor_required";
    public const string SecondApproverRequiredCode = "second_approver_required";

    private static readonly Dictionary<string, (string En, string Zh)> Texts = new(StringComparer.Ordinal)
    {
        [CaseOpenCode] = (
            "An account recovery case is already open for this account. Follow it, or wait until it is decided.",
            "该账号已有一个正在处理的申诉，请查看其进度或等待处理结果。"),
        [RejectedCode] = ("Support rejected this account recovery case.", "客服已驳回此账号申诉。"),
        [NoAccountCode] = ("No account matches this case: it can only be rejected.", "没有与此申诉匹配的账号，只能驳回。"),
        [SupervisorRequiredCode] = ("This approval is risky: a second agent with the supervisor role must approve it.", "此次批准存在风险，需由另一位具有主管角色的客服再次批准。"),
        [SecondApproverRequiredCode] = ("The second approval must come from another agent.", "第二次批准须由另一位客服完成。"),
    };

    /// <summary>Every code of this catalogue.</summary>
    public static IReadOnlyCollection<string> All => Texts.Keys;

    public static Error CaseOpen() => new(CaseOpenCode, Texts[CaseOpenCode].En, ErrorKind.Conflict);

    public static Error NoAccount() => new(NoAccountCode, Texts[NoAccountCode].En, ErrorKind.Conflict);

    public static Error SupervisorRequired() => new(SupervisorRequiredCode, Texts[SupervisorRequiredCode].En, ErrorKind.Forbidden);

    public static Error SecondApproverRequired() => new(SecondApproverRequiredCode, Texts[SecondApproverRequiredCode].En, ErrorKind.Conflict);

    /// <summary>Text for <paramref name="code"/> in <paramref name="culture"/>; null when the code is not this catalogue's.</summary>
    public static string? Text(string code, string? culture) =>
        Texts.TryGetValue(code, out var text) ? (Cultures.Normalize(culture) == Cultures.Chinese ? text.Zh : text.En) : null;
}
