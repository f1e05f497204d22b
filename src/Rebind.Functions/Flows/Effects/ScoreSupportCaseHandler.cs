using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SupportRecovery;
using Rebind.Core.Support;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="ScoreSupportCase"/>: reads the account and its recent history (the same reads for a case without an
/// account: a random id) and scores the case's evidence against them with <see cref="EvidenceScorer"/>. Pure reads:
/// running twice scores twice, the same.
/// </summary>
public sealed class ScoreSupportCaseHandler(IAccountStore accounts, IActivityLog activity, TimeProvider time) : FlowEffectHandler<ScoreSupportCase>
{
    /// <summary>History entries read for the sign-ins the scorer compares with.</summary>
    public const int HistoryRead = 100;

    /// <summary>Security changes this recent make an approval risky.</summary>
    public static readonly TimeSpan RecentChanges = TimeSpan.FromDays(7);

    /// <summary>The history types that are security changes of the account.</summary>
    public static readonly IReadOnlySet<string> SecurityChanges = new HashSet<string>(StringComparer.Ordinal)
    {
        ActivityTypes.PhoneBound, ActivityTypes.PhoneChanged, ActivityTypes.PhoneUnbound, ActivityTypes.EmailBound, ActivityTypes.EmailChanged,
        ActivityTypes.PasswordChanged, ActivityTypes.PasswordReset, ActivityTypes.SecurityQuestionsChanged, ActivityTypes.ContactReported,
        ActivityTypes.OtherSessionsEnded, ActivityTypes.DeviceForgotten,
    };

    protected override async Task<FlowInput> HandleAsync(ScoreSupportCase effect, Flow flow, CancellationToken cancellationToken)
    {
        var id = effect.AccountId ?? Guid.NewGuid().ToString("N");
        var account = await accounts.GetAsync(id, cancellationToken);
        var history = await activity.ListAsync(id, HistoryRead, cancellationToken: cancellationToken);
        var records = effect.AccountId is null || account is null ? null : Records(account.Value, history.Items);
        var score = EvidenceScorer.Score(SupportRecoveryFlow.Evidence(flow), SupportRecoveryFlow.Passwords(flow), records);
        return new CaseScored(score, records is not null && HasRecentSecurityChanges(history.Items, time.GetUtcNow()));
    }

    public static bool HasRecentSecurityChanges(IEnumerable<ActivityEvent> history, DateTimeOffset now) =>
        history.Any(e => SecurityChanges.Contains(e.Type) && e.Outcome == ActivityOutcomes.Success && e.OccurredAt >= now - RecentChanges);

    public static SupportRecords Records(Account account, IEnumerable<ActivityEvent> history) => new(
        account.Phone,
        account.Email,
        account.CreatedAt,
        account.Profile.GetValueOrDefault(ProfileKeys.Nickname),
        account.Profile.GetValueOrDefault(ProfileKeys.Team),
        history.Where(e => e.Type == ActivityTypes.SignIn && e.Outcome == ActivityOutcomes.Success)
            .Select(e => new SignInRecord(e.OccurredAt, e.IpAddress, e.DeviceName, e.UserAgent)).ToList(),
        account.KnownDevices.Select(d => d.Name).OfType<string>().ToList());
}
