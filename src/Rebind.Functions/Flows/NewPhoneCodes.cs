using Rebind.Core.Accounts;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows;

/// <summary>The code input of a step that verifies a new phone: whether another account holds that phone.</summary>
public static class NewPhoneCodes
{
    /// <summary>
    /// In <paramref name="newPhoneCodeState"/> looks the pending phone up in the index and passes
    /// <see cref="SubmitCode.PhoneAlreadyBound"/> (the flow reveals it only if the code is right); in any other
    /// state a plain <see cref="SubmitCode"/>.
    /// </summary>
    public static async Task<FlowInput> InputAsync(IAccountStore accounts, Flow flow, string code, string newPhoneCodeState, CancellationToken cancellationToken)
    {
        if (flow.State != newPhoneCodeState || !flow.Data.TryGetValue(FlowDataKeys.NewPhone, out var phone))
        {
            return new SubmitCode(code);
        }

        var holder = await accounts.FindAccountIdAsync(IdentifierKind.Phone, phone, cancellationToken);
        var self = flow.AccountId ?? flow.Data.GetValueOrDefault(FlowDataKeys.AccountId);
        return new SubmitCode(code, PhoneAlreadyBound: holder is not null && holder != self);
    }
}
