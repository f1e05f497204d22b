using Rebind.Core.Flows;
using Rebind.Core.Flows.EmailBinding;
using Rebind.Core.Flows.EmailChange;
using Rebind.Core.Flows.PasswordReset;
using Rebind.Core.Flows.PhoneBinding;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Flows.PhoneRecoveryByEmail;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Flows.PhoneUnbinding;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Tests.Flows;

/// <summary>
/// Arrangements for the account-change kinds: fixed times, a pinned code (so a pretend challenge can be fed the
/// code it "would" have sent), one account with a phone and an email.
/// </summary>
internal sealed class AccountFlowKit
{
    public const string Code = "246810";
    public const string AccountId = "0193a0c4e1b07c3f8a2b5d6e7f809112";
    public const string OldPhone = "+8613812345678";
    public const string NewPhone = "+85291234567";
    public const string Email = "li.wei@example.com";
    public const string NewEmail = "wei.li@example.org";
    public const string SessionId = "session-1";

    public static readonly DateTimeOffset T0 = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public AccountFlowKit(QuestionRecoveryOptions? questions = null)
    {
        var policy = FlowPolicy.Default;
        var keys = FlowTestKit.KeyRing("k1");
        var codes = new PinnedCodes();
        BindPhone = new BindPhoneFlow(policy, keys, codes);
        BindEmail = new BindEmailFlow(policy, keys, codes);
        ChangePhone = new ChangePhoneFlow(policy, keys, codes);
        UnbindPhone = new UnbindPhoneFlow(policy, keys, codes);
        ChangeEmail = new ChangeEmailFlow(policy, keys, codes);
        RecoverByEmail = new RecoverPhoneByEmailFlow(policy, keys, codes);
        RecoverByQuestions = new RecoverPhoneByQuestionsFlow(policy, keys, questions, codes);
        ResetPassword = new ResetPasswordFlow(policy, keys, codes);
    }

    public BindPhoneFlow BindPhone { get; }
    public BindEmailFlow BindEmail { get; }
    public ChangePhoneFlow ChangePhone { get; }
    public UnbindPhoneFlow UnbindPhone { get; }
    public ChangeEmailFlow ChangeEmail { get; }
    public RecoverPhoneByEmailFlow RecoverByEmail { get; }
    public RecoverPhoneByQuestionsFlow RecoverByQuestions { get; }
    public ResetPasswordFlow ResetPassword { get; }

    public IReadOnlyList<IFlowDefinition> All => [BindPhone, BindEmail, ChangePhone, UnbindPhone, ChangeEmail, RecoverByEmail, RecoverByQuestions, ResetPassword];

    /// <summary>The account's stamp digest as read at a sign-in-page start; the change's guard must carry it.</summary>
    public const string StampRef = "5e1f0c2a9b7d4e36";

    public static AccountSnapshot Account(string? phone = OldPhone, string? email = Email) => new(AccountId, phone, email, StampRef);

    public static PhoneNumber Phone(string e164 = NewPhone) => PhoneNumber.FromE164(e164);

    public static EmailAddress Mail(string value = NewEmail)
    {
        Assert.True(EmailAddress.TryParse(value, out var email, out _));
        return email;
    }

    public static ContactIdentifier ByPhone(string e164 = OldPhone) => ContactIdentifier.Of(PhoneNumber.FromE164(e164));

    public static ContactIdentifier ByEmail(string value = Email) => ContactIdentifier.Of(Mail(value));

    /// <summary>A step that moved on without error.</summary>
    public static FlowStep Ok(Result<FlowStep> result)
    {
        Assert.True(result.IsSuccess, result.Error?.Code);
        Assert.Null(result.Value.Error);
        return result.Value;
    }

    public static IReadOnlyList<OutboundMessage> Messages(FlowStep step) =>
        [.. step.Effects.Select(e => Assert.IsType<SendMessage>(e).Message)];

    public static T Single<T>(FlowStep step)
        where T : FlowEffect => Assert.IsType<T>(Assert.Single(step.Effects));

    /// <summary>What a client can see of a step: state, error and challenge timing — never the effects.</summary>
    public static object Shape(Result<FlowStep> result)
    {
        if (!result.IsSuccess)
        {
            return ("refused", result.Error.Code, Details(result.Error));
        }

        var flow = result.Value.Flow;
        var challenges = string.Join(";", flow.Challenges.Select(c => $"{c.Step}/{c.Channel}/{c.ExpiresAt - c.SentAt}/{c.Sends}/{c.FailedAttempts}/{c.Dead}/{c.Used}"));
        return (flow.State, flow.Deadline - flow.CreatedAt, challenges, result.Value.Error?.Code, result.Value.Error is null ? "" : Details(result.Value.Error));
    }

    private static string Details(Error error) => string.Join(",", error.Details.OrderBy(d => d.Key).Select(d => $"{d.Key}={d.Value}"));

    private sealed class PinnedCodes : ICodeGenerator
    {
        public string Generate(int digits) => Code;
    }
}
