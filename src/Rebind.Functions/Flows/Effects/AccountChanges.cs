using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Sessions;

namespace Rebind.Functions.Flows.Effects;

/// <summary>What an account-change handler decided after re-reading the account.</summary>
public enum AccountCheck
{
    /// <summary>The account matches the effect's expectations and was written (ETag).</summary>
    Applied,

    /// <summary>The account already shows the change: a repeat after a crash. Carry on with the clean-up.</summary>
    AlreadyApplied,

    /// <summary>The account no longer matches (or is gone): nothing written.</summary>
    Mismatch,
}

/// <summary>
/// The steps every account-change effect handler shares: a conditional account write that re-reads on a lost
/// ETag race, ending sessions, and a history entry recorded once per flow.
/// </summary>
public sealed class AccountChanges(IAccountStore accounts, ISessionService sessions, IActivityLog activity, TimeProvider time)
{
    /// <summary>How far back a repeat looks for its own history entry before recording it again.</summary>
    private const int HistoryLookBack = 50;

    public IAccountStore Accounts => accounts;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Reads the account, lets <paramref name="decide"/> say what to write (null with <see cref="AccountCheck.Applied"/>
    /// is a bug), and writes it with the read's ETag; a lost race reads again and decides again.
    /// </summary>
    public async Task<AccountCheck> UpdateAsync(string accountId, Func<Account, (AccountCheck Check, Account? Updated)> decide, CancellationToken cancellationToken)
    {
        var check = AccountCheck.Mismatch;
        var stored = await accounts.UpdateAsync(accountId, account =>
        {
            (check, var updated) = decide(account);
            return check == AccountCheck.Applied ? updated ?? throw new InvalidOperationException("Applied without an account.") : null;
        }, cancellationToken);
        return stored is null ? AccountCheck.Mismatch : check;
    }

    /// <summary>New security stamp: every session ends except <paramref name="keepSessionId"/> (null: all end).</summary>
    public Task RotateStampAsync(string accountId, string? keepSessionId, CancellationToken cancellationToken) =>
        sessions.RotateSecurityStampAsync(accountId, keepSessionId, cancellationToken);

    /// <summary>Deletes the account's session rows (the stamp was already changed with the account write).</summary>
    public Task EndAllSessionsAsync(string accountId, CancellationToken cancellationToken) =>
        sessions.RevokeAllAsync(accountId, null, cancellationToken);

    /// <summary>
    /// Records <paramref name="type"/> for the flow unless a previous run already did (the entry's detail is the
    /// flow reference), so a repeat after a crash leaves one entry.
    /// </summary>
    public async Task RecordOnceAsync(string accountId, string type, string flowId, string? sessionId, CancellationToken cancellationToken)
    {
        var detail = FlowIds.Ref(flowId);
        var page = await activity.ListAsync(accountId, HistoryLookBack, cancellationToken: cancellationToken);
        if (page.Items.Any(e => e.Type == type && e.Detail == detail))
        {
            return;
        }

        await activity.RecordAsync(accountId, new ActivityEvent(type, ActivityOutcomes.Success, Now, SessionId: sessionId, Detail: detail), cancellationToken);
    }

}
