using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Functions.SignIn;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="TrustDevice"/>: the device joins the account's known devices (one conditional write; already there is
/// a repeat) unless a security change happened since the sign-in (<see cref="AccountChanged"/>); the history records
/// it; a "this wasn't me" code is issued for the session and its link handed to the alert.
/// </summary>
public sealed class TrustDeviceHandler(AccountChanges changes, SignInReports reports) : FlowEffectHandler<TrustDevice>
{
    protected override async Task<FlowInput> HandleAsync(TrustDevice effect, Flow flow, CancellationToken cancellationToken)
    {
        var now = changes.Now;
        var check = await changes.UpdateAsync(effect.AccountId, account =>
            !effect.Guard.Holds(account) ? (AccountCheck.Mismatch, null)
            : effect.DeviceHash is null || account.KnownDevices.Any(d => d.Hash == effect.DeviceHash) ? (AccountCheck.AlreadyApplied, null)
            : (AccountCheck.Applied, account with
            {
                KnownDevices = KnownDevice.RememberHash(account.KnownDevices, effect.DeviceHash, now, effect.DeviceName) ?? account.KnownDevices,
            }), cancellationToken);
        if (check == AccountCheck.Mismatch)
        {
            return new AccountChanged();
        }

        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.DeviceVerified, effect.FlowId, effect.SessionId, cancellationToken);
        return new ChangeApplied(await reports.IssueAsync(effect.AccountId, effect.SessionId, cancellationToken));
    }
}
