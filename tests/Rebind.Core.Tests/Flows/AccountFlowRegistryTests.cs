using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneBinding;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class AccountFlowRegistryTests
{
    [Fact]
    public void Kinds_AllDefinitionsTogether_DistinctAndNamedAsDesigned()
    {
        var kit = new K();

        var registry = new FlowRegistry([new FlowTestKit().SignUp, .. kit.All]);

        Assert.Equal(
            new[] { "bind_email", "bind_phone", "change_email", "change_phone", "recover_phone_by_email", "recover_phone_by_questions", "reset_password", "signup_phone", "unbind_phone" },
            registry.Kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Start_WrongStartRecord_Throws()
    {
        var kit = new K();

        Assert.Throws<ArgumentException>(() => kit.ChangePhone.Start(new BindPhoneStart(K.Account(phone: null), K.Phone(), "en"), K.T0));
    }

    [Fact]
    public void Apply_OwnedFlowOfAccountKinds_AcceptsOnlyOwner()
    {
        var kit = new K();
        var flow = K.Ok(kit.BindPhone.Start(new BindPhoneStart(K.Account(phone: null), K.Phone(), "en"), K.T0)).Flow;

        Assert.True(flow.AcceptsCaller(K.AccountId));
        Assert.False(flow.AcceptsCaller("someone-else"));
        Assert.False(flow.AcceptsCaller(null));
    }
}
