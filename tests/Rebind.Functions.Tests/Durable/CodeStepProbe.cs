using Microsoft.DurableTask;
using Rebind.Core.Messaging;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Tests.Durable;

/// <summary>The shared code step alone: a code to the flow row's phone, confirmed or resent until a deadline.</summary>
public sealed class CodeStepProbe : TaskOrchestrator<CodeStepProbeInput, CodeStepOutcome>
{
    public const string Step = "phone";

    public override Task<CodeStepOutcome> RunAsync(TaskOrchestrationContext context, CodeStepProbeInput input) =>
        context.ConfirmCodeAsync(
            new IssueCodeRequest(context.InstanceId, Step, CodeDestination.Phone, MessageKinds.SignupCode),
            context.CurrentUtcDateTime.AddSeconds(input.DeadlineSeconds));
}

public sealed record CodeStepProbeInput(int DeadlineSeconds);
