using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;

namespace Rebind.Core.Tests.Flows;

public sealed class FlowRegistryTests
{
    private readonly FlowTestKit kit = new();

    [Fact]
    public void Apply_KnownKind_DispatchesToDefinition()
    {
        var registry = new FlowRegistry([kit.SignUp]);
        var started = registry.Start(SignUpFlow.KindName, new SignUpStart(FlowTestKit.Phone(), "en"), kit.Now).Value;

        var step = registry.Apply(started.Flow, new SubmitCode(FlowTestKit.CodeOf(started)), kit.Now).Value;

        Assert.Equal(SignUpStates.AwaitingPassword, step.Flow.State);
    }

    [Fact]
    public void Apply_UnknownKind_ReturnsFlowNotFound()
    {
        var registry = new FlowRegistry([kit.SignUp]);
        var (flow, _) = kit.StartSignUp();

        var result = registry.Apply(flow with { Kind = "nope" }, new Cancel(), kit.Now);

        Assert.Equal(FlowErrorCodes.FlowNotFound, result.Error?.Code);
    }

    [Fact]
    public void Constructor_DuplicateKind_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FlowRegistry([kit.SignUp, new FlowTestKit().SignUp]));
    }

    [Fact]
    public void AcceptsCaller_OwnedFlow_OnlyOwner()
    {
        var (flow, _) = kit.StartSignUp();
        var owned = flow with { AccountId = "acc-1" };

        Assert.True(flow.AcceptsCaller(null));
        Assert.True(owned.AcceptsCaller("acc-1"));
        Assert.False(owned.AcceptsCaller("acc-2"));
        Assert.False(owned.AcceptsCaller(null));
    }
}
