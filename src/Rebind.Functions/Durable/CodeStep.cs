using Microsoft.DurableTask;
using Rebind.Azure.Flows;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Functions.Durable;

/// <summary>
/// The step every flow kind shares on Durable: send a code and wait for it to be confirmed (or a resend asked for)
/// until the flow's deadline. The code never enters the orchestration: <see cref="CodeIssuer"/>, inside an activity,
/// derives it from the key ring, stores only its HMAC in the flow's row and sends it. The HTTP functions check what a
/// person types against that row and raise <see cref="FlowInputEvent"/> with no secret in it.
/// </summary>
public static class CodeStep
{
    /// <summary>The event the HTTP functions raise on a flow's orchestration.</summary>
    public const string InputEvent = "flow-input";

    /// <summary>Retries of the send: storage or the provider away for a few seconds must not end the flow.</summary>
    public static readonly TaskOptions SendRetries = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <summary>
    /// Sends the code of <paramref name="request"/>'s step, then waits for its confirmation until
    /// <paramref name="deadlineUtc"/>; a resend sends the next code of the step and waits again. Inputs for another step
    /// are ignored here.
    /// </summary>
    public static async Task<CodeStepOutcome> ConfirmCodeAsync(this TaskOrchestrationContext context, IssueCodeRequest request, DateTime deadlineUtc)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        for (var send = 1; ; send++)
        {
            var issued = await context.CallActivityAsync<IssuedCode>(IssueCodeActivity.Name, request with { Send = send }, SendRetries);
            if (issued.Refused is { } refused)
            {
                return new CodeStepOutcome(CodeStepResult.Refused, refused);
            }

            while (true)
            {
                var input = await context.WaitForConfirmationAsync<FlowInputEvent>(InputEvent, deadlineUtc);
                if (!input.IsConfirmed)
                {
                    return new CodeStepOutcome(CodeStepResult.TimedOut, null);
                }
                var received = input.Value!;
                if (received.Input == FlowInputKind.Cancelled)
                {
                    return new CodeStepOutcome(CodeStepResult.Cancelled, null);
                }
                if (received.Step != request.Step)
                {
                    continue;
                }
                if (received.Input == FlowInputKind.CodeConfirmed)
                {
                    return new CodeStepOutcome(CodeStepResult.Confirmed, null);
                }
                break; // a resend: the next code of this step
            }
        }
    }
}

/// <summary>Which contact of the flow's row a code goes to.</summary>
public enum CodeDestination
{
    /// <summary><see cref="Flow.Phone"/>, by SMS.</summary>
    Phone,

    /// <summary><see cref="Flow.Email"/>, by email.</summary>
    Email,

    /// <summary>The new phone a person gave (<see cref="FlowDataKeys.NewPhone"/>), by SMS.</summary>
    NewPhone,

    /// <summary>The new email a person gave (<see cref="FlowDataKeys.NewEmail"/>), by email.</summary>
    NewEmail,
}

/// <summary>
/// What the orchestration asks of <see cref="CodeIssuer"/>: ids and names only (orchestration history is readable by
/// operators; the destination itself stays in the row).
/// </summary>
/// <param name="Send">1 for the step's first code, each resend the next.</param>
/// <param name="Pretend">A sign-in-page flow for an unknown identifier: a challenge that never verifies, nothing sent.</param>
public sealed record IssueCodeRequest(string FlowId, string Step, CodeDestination Destination, string MessageKind, int Send = 1, bool Pretend = false);

/// <param name="Refused">The error code when no code could be issued (e.g. <c>too_many_sends</c>, the flow ended); else null.</param>
public sealed record IssuedCode(int Send, DateTimeOffset ExpiresAt, bool Sent, string? Refused = null);

public enum FlowInputKind
{
    CodeConfirmed,
    ResendRequested,
    Cancelled,
}

/// <summary>The payload of <see cref="CodeStep.InputEvent"/>: what a person did, never what they typed.</summary>
public sealed record FlowInputEvent(FlowInputKind Input, string? Step);

public enum CodeStepResult
{
    Confirmed,
    TimedOut,
    Cancelled,
    Refused,
}

public sealed record CodeStepOutcome(CodeStepResult Result, string? Refused);

/// <summary>
/// Issues send <see cref="IssueCodeRequest.Send"/> of a step: stores the challenge (HMAC only) in the flow's row with
/// its ETag, then sends the message. Safe to run again for the same send (an activity retry, or a replay after a crash
/// between the two): a challenge already stored for it is not issued again, its message is rebuilt (same code, same
/// idempotency key, same first-sent time) and sent again, which the development inbox and ACS both take as a repeat.
/// </summary>
public sealed class CodeIssuer(TableFlowStore store, FlowPolicy policy, CodeKeyRing keys, IMessageSender sender, TimeProvider time, ILogger<CodeIssuer> logger)
{
    private const int MaxRaces = 5;
    private readonly ChallengeService challenges = new(policy, keys);

    public async Task<IssuedCode> IssueAsync(IssueCodeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var race = 0; race < MaxRaces; race++)
        {
            var stored = await store.GetAsync(request.FlowId, cancellationToken)
                ?? throw new InvalidOperationException($"Flow {FlowIds.Ref(request.FlowId)} has no row.");
            var flow = stored.Flow;
            if (flow.ChallengeFor(request.Step) is { } existing && existing.Sends >= request.Send)
            {
                await SendAsync(flow, challenges.DerivedMessage(flow, existing, request.MessageKind), cancellationToken);
                return new IssuedCode(existing.Sends, existing.ExpiresAt, !existing.Pretend);
            }
            if (flow.IsTerminal)
            {
                return new IssuedCode(request.Send, flow.Deadline, false, flow.Outcome ?? FlowErrorCodes.FlowCompleted);
            }

            var (channel, destination) = Destination(flow, request.Destination);
            var issued = challenges.IssueDerived(
                flow, request.Step, channel, destination, request.MessageKind, time.GetUtcNow(), request.Send, request.Pretend, flow.ChallengeFor(request.Step)?.LimitKey);
            if (!issued.IsSuccess)
            {
                return new IssuedCode(request.Send, flow.Deadline, false, issued.Error.Code);
            }
            if (await store.TryReplaceAsync(issued.Value.Flow, stored.ETag, [], cancellationToken) is null)
            {
                continue; // the row changed (a wrong code was counted): issue on the new version
            }

            var challenge = issued.Value.Flow.ChallengeFor(request.Step)!;
            await SendAsync(flow, issued.Value.Effects.OfType<SendMessage>().SingleOrDefault()?.Message, cancellationToken);
            return new IssuedCode(challenge.Sends, challenge.ExpiresAt, !challenge.Pretend);
        }
        throw new InvalidOperationException($"Flow {FlowIds.Ref(request.FlowId)} kept changing while a code was issued; the activity is retried.");
    }

    /// <summary>A provider that may take the message later fails the attempt (the activity's retry sends it again, as a repeat).</summary>
    private async Task SendAsync(Flow flow, OutboundMessage? message, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            return;
        }
        var outcome = await sender.SendAsync(message, cancellationToken);
        switch (outcome.Status)
        {
            case SendStatus.Transient:
                throw new InvalidOperationException($"The {message.Kind} message of flow {FlowIds.Ref(flow.Id)} was not taken yet: {outcome.Detail}");
            case SendStatus.Permanent:
                logger.LogWarning("Flow {FlowRef}: the {Kind} message was refused for good: {Detail}", FlowIds.Ref(flow.Id), message.Kind, outcome.Detail);
                break;
        }
    }

    private static (Channel Channel, string Destination) Destination(Flow flow, CodeDestination destination) => destination switch
    {
        CodeDestination.Phone => (Channel.Sms, flow.Phone ?? throw NoContact(flow, destination)),
        CodeDestination.Email => (Channel.Email, flow.Email ?? throw NoContact(flow, destination)),
        CodeDestination.NewPhone => (Channel.Sms, flow.Data.GetValueOrDefault(FlowDataKeys.NewPhone) ?? throw NoContact(flow, destination)),
        CodeDestination.NewEmail => (Channel.Email, flow.Data.GetValueOrDefault(FlowDataKeys.NewEmail) ?? throw NoContact(flow, destination)),
        _ => throw new ArgumentOutOfRangeException(nameof(destination), destination, null),
    };

    private static InvalidOperationException NoContact(Flow flow, CodeDestination destination) =>
        new($"Flow {FlowIds.Ref(flow.Id)} has no {destination} to send a code to.");
}

/// <summary>The local host's activity around <see cref="CodeIssuer"/> (the Functions worker has its own trigger).</summary>
public sealed class IssueCodeActivity(CodeIssuer issuer) : TaskActivity<IssueCodeRequest, IssuedCode>
{
    public const string Name = "IssueCode";

    public override Task<IssuedCode> RunAsync(TaskActivityContext context, IssueCodeRequest input) => issuer.IssueAsync(input, CancellationToken.None);
}
