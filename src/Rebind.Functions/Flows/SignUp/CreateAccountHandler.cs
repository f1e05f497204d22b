using Rebind.Core.Accounts;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.SignUp;

/// <summary>
/// <see cref="CreateAccount"/>: claim the phone for the flow's fixed account id (an existing claim by the same id
/// counts as won), then create the account (idempotent by id). A lost claim is <see cref="ClaimFailed"/>.
/// </summary>
public sealed class CreateAccountHandler(IAccountStore accounts) : FlowEffectHandler<CreateAccount>
{
    protected override async Task<FlowInput> HandleAsync(CreateAccount effect, Flow flow, CancellationToken cancellationToken)
    {
        var claim = await accounts.ClaimAsync(IdentifierKind.Phone, effect.Phone, effect.AccountId, cancellationToken);
        if (claim == ClaimOutcome.TakenByOther)
        {
            return new ClaimFailed();
        }

        await accounts.CreateAsync(new Account
        {
            Id = effect.AccountId,
            Phone = effect.Phone,
            PasswordHash = effect.PasswordHash,
            SecurityStamp = Account.NewSecurityStamp(),
            CreatedAt = effect.CreatedAt,
            PasswordChangedAt = effect.CreatedAt,
            // The device that signed up proved the phone: its first sign-in needs no new-device code.
            KnownDevices = effect.DeviceHash is null ? [] : KnownDevice.RememberHash([], effect.DeviceHash, effect.CreatedAt, effect.DeviceName) ?? [],
        }, cancellationToken);
        return new AccountCreated();
    }
}
