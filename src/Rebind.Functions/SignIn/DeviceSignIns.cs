using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Flows.DeviceSignIn;
using Rebind.Core.Sessions;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;

namespace Rebind.Functions.SignIn;

/// <summary>
/// New-device verification: a sign-in with the right password from a device the account does not know starts a
/// <c>verify_device</c> flow (<see cref="StartAsync"/>); the code typed on that device issues the session
/// (<see cref="VerifyAsync"/>) with the id the flow chose, and the flow's orchestration remembers the device and sends
/// the alert.
/// </summary>
public sealed class DeviceSignIns(FlowInputs inputs, IAccountStore accounts, ISessionService sessions, IActivityLog activity, FlowPolicy policy, TimeProvider time)
{
    /// <summary>Starts the flow for <paramref name="account"/> (its password was just proven from <paramref name="client"/>).</summary>
    public Task<Result<Flow>> StartAsync(Account account, SessionClient client, string culture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(client);
        var start = new DeviceSignInStart(AccountSnapshot.Of(account), client.DeviceHash, client.DeviceName, client.IpAddress ?? "?", culture);
        return inputs.StartAsync(DeviceSignInFlow.KindName, start, client.IpAddress ?? ClientAddress.Unknown, cancellationToken);
    }

    /// <summary>
    /// The code for flow <paramref name="flowId"/>: wrong → <c>invalid_code</c> with the attempts left (the flow's
    /// rules); right → the session, unless a security change or a "this wasn't me" happened since the sign-in
    /// (<c>account_changed</c>, <c>password_reset_required</c>). Another kind's flow id is <c>flow_not_found</c>.
    /// </summary>
    public async Task<Result<NewSession>> VerifyAsync(string? flowId, string? code, SessionClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (RequestFields.First(RequestFields.Required(flowId, "flowId"), RequestFields.Code(code, policy.CodeDigits)) is { } invalid)
        {
            return invalid;
        }

        var applied = await inputs.ApplyAsync(flowId!, null, (flow, _) => Task.FromResult(flow.Kind == DeviceSignInFlow.KindName
            ? Result<FlowInput>.Success(new SubmitCode(code!))
            : FlowErrors.FlowNotFound()), cancellationToken);
        if (!applied.IsSuccess)
        {
            return applied.Error;
        }

        var verified = applied.Value;
        if (verified.State == FlowStates.Failed)
        {
            return FlowErrors.AccountChanged();
        }
        var accountId = verified.Data[FlowDataKeys.AccountId];
        var sessionId = verified.Data[FlowDataKeys.SessionId];
        var account = (await accounts.GetAsync(accountId, cancellationToken))?.Value;
        if (account is null || Account.StampRef(account.SecurityStamp) != verified.Data.GetValueOrDefault(FlowDataKeys.StampRef))
        {
            return FlowErrors.AccountChanged();
        }
        if (account.PasswordResetRequiredAt is not null)
        {
            return AccountErrors.PasswordResetRequired();
        }

        var deviceHash = verified.Data.GetValueOrDefault(FlowDataKeys.DeviceHash);
        var session = await sessions.CreateAsync(accountId, account.SecurityStamp, client with { DeviceHash = deviceHash, DeviceName = client.DeviceName ?? verified.Data.GetValueOrDefault(FlowDataKeys.DeviceName) }, sessionId, cancellationToken);
        await activity.RecordAsync(accountId, new ActivityEvent(ActivityTypes.SignIn, ActivityOutcomes.Success, time.GetUtcNow(),
            client.IpAddress, client.DeviceName, client.UserAgent, sessionId, "new_device"), cancellationToken);
        return session;
    }
}
