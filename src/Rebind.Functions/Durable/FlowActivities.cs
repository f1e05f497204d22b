using Microsoft.DurableTask;
using Rebind.Azure.Flows;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Functions.Flows;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Rebind.Functions.Durable;

/// <summary>The activities every flow orchestrator calls, by the names both hosts register them under.</summary>
public static class FlowActivities
{
    public const string SendCode = "SendCode";
    public const string ExpireFlow = "ExpireFlow";
    public const string ApplyEffect = "ApplyEffect";
    public const string ReadFlow = "ReadFlow";
    public const string SendNotices = "SendNotices";
}

/// <summary>
/// What the flow activities do, against the flow's row. Each is safe to run again (an activity retry, or a replay
/// after a crash): a send already delivered is not sent again, an expiry or an effect already applied is not applied
/// twice (the row's ETag and state decide).
/// </summary>
public sealed class FlowWork(
    TableFlowStore store,
    FlowInputs inputs,
    OutboxDispatcher outbox,
    FlowPolicy policy,
    CodeKeyRing keys,
    IMessageSender sender,
    Http.ResponseTiming<Channel> sendTiming,
    FlowSignals signals,
    ILogger<FlowWork> logger)
{
    private const int MaxRaces = 5;
    private readonly ChallengeService challenges = new(policy, keys);

    /// <summary>
    /// Sends the code of <paramref name="send"/> (built again from the challenge: the derived code, the derived
    /// idempotency key), then marks the challenge delivered, which is what an HTTP function waiting on the row sees.
    /// A pretend or held-back code sends nothing and takes as long as a real send. False when the send is not the
    /// step's current one (a later resend replaced it) or was delivered already.
    /// </summary>
    public async Task<bool> SendCodeAsync(CodeSendRef send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var sent = false;
        for (var race = 0; race < MaxRaces; race++)
        {
            var stored = await store.GetAsync(send.FlowId, cancellationToken);
            if (stored?.Flow.ChallengeFor(send.Step) is not { } challenge || challenge.Sends != send.Send || challenge.Delivered)
            {
                return false;
            }
            if (!sent)
            {
                await DeliverAsync(stored.Flow, challenge, cancellationToken);
                sent = true;
            }
            var delivered = stored.Flow.WithChallenge(challenge with { Delivered = true });
            if (await store.TryReplaceAsync(delivered, stored.ETag, [], cancellationToken) is not null)
            {
                signals.Signal(send.FlowId);
                return true;
            }
        }
        throw new InvalidOperationException($"Flow {FlowIds.Ref(send.FlowId)} kept changing while its code was marked sent; the activity is retried.");
    }

    /// <summary>Expires the flow if its stored deadline has passed; the row's state either way.</summary>
    public async Task<FlowState> ExpireAsync(string flowId, CancellationToken cancellationToken) =>
        await MovedAsync(await inputs.ApplyFromOrchestrationAsync(flowId, new Expire(), cancellationToken) ?? await ReadFlowAsync(flowId, cancellationToken), cancellationToken);

    /// <summary>Runs the domain effect the row waits for and applies its outcome, then tries its notices once; the row's
    /// state after, with the notices still to send.</summary>
    public async Task<FlowState> ApplyEffectAsync(string flowId, CancellationToken cancellationToken) =>
        await MovedAsync(await inputs.ApplyFromOrchestrationAsync(flowId, new Resume(), cancellationToken) ?? await ReadFlowAsync(flowId, cancellationToken), cancellationToken);

    /// <summary>
    /// Sends the flow's pending notices (outbox rows committed with the step that queued them: their content, e.g. a
    /// "this wasn't me" link, stays out of the orchestration's history) and records each attempt on its row. A notice
    /// the provider has not taken yet fails the activity, whose retry sends the same message (same idempotency key)
    /// again; one refused for good, or out of attempts (<see cref="FlowOptions.OutboxMaxAttempts"/>), is marked failed
    /// and not retried. Returns the number delivered by this call.
    /// </summary>
    public async Task<int> SendNoticesAsync(string flowId, CancellationToken cancellationToken)
    {
        var (delivered, left) = await AttemptNoticesAsync(flowId, cancellationToken);
        signals.Signal(flowId);
        if (left > 0)
        {
            throw new InvalidOperationException($"{left} notice(s) of flow {FlowIds.Ref(flowId)} not taken yet; the activity is retried.");
        }
        return delivered;
    }

    private async Task<(int Delivered, int Left)> AttemptNoticesAsync(string flowId, CancellationToken cancellationToken)
    {
        int delivered = 0, left = 0;
        foreach (var entry in await store.GetOutboxAsync(flowId, cancellationToken))
        {
            if (entry.Status != OutboxStatus.Pending)
            {
                continue;
            }
            switch ((await outbox.AttemptAsync(entry, cancellationToken)).Status)
            {
                case OutboxStatus.Delivered: delivered++; break;
                case OutboxStatus.Pending: left++; break;
            }
        }
        return (delivered, left);
    }

    /// <summary>After an activity moved the row: its notices tried once (the orchestration retries what is left), then
    /// the waiting request signalled.</summary>
    private async Task<FlowState> MovedAsync(Flow flow, CancellationToken cancellationToken)
    {
        int left;
        try
        {
            (_, left) = await AttemptNoticesAsync(flow.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Flow {FlowRef}: its notices could not be tried; the orchestration sends them", FlowIds.Ref(flow.Id));
            left = 1;
        }
        signals.Signal(flow.Id);
        return FlowState.Of(flow, left);
    }

    public async Task<FlowState> ReadAsync(string flowId, CancellationToken cancellationToken) =>
        FlowState.Of(await ReadFlowAsync(flowId, cancellationToken));

    private async Task<Flow> ReadFlowAsync(string flowId, CancellationToken cancellationToken) =>
        (await store.GetAsync(flowId, cancellationToken))?.Flow
        ?? throw new InvalidOperationException($"Flow {FlowIds.Ref(flowId)} has no row.");

    private async Task DeliverAsync(Flow flow, Challenge challenge, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var message = challenge.Pretend || challenge.HeldBack || challenge.MessageKind is not { } kind ? null : challenges.DerivedMessage(flow, challenge, kind);
        if (message is null)
        {
            await sendTiming.PadAsync(challenge.Channel, Stopwatch.GetElapsedTime(started), cancellationToken);
            return;
        }

        var outcome = await sender.SendAsync(message, cancellationToken);
        switch (outcome.Status)
        {
            case SendStatus.Transient:
                // The activity's retry sends it again: the same message, which the sender takes as a repeat.
                throw new InvalidOperationException($"The {message.Kind} message of flow {FlowIds.Ref(flow.Id)} was not taken yet: {outcome.Detail}");
            case SendStatus.Permanent:
                logger.LogWarning("Flow {FlowRef}: the {Kind} message was refused for good: {Detail}", FlowIds.Ref(flow.Id), message.Kind, outcome.Detail);
                break;
            default:
                sendTiming.Learn(challenge.Channel, Stopwatch.GetElapsedTime(started));
                break;
        }
    }
}

/// <summary>The local host's activity classes (the Functions worker has its own triggers, <see cref="Worker.DurableFunctions"/>).</summary>
public sealed class SendCodeActivity(FlowWork work) : TaskActivity<CodeSendRef, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, CodeSendRef input) => work.SendCodeAsync(input, CancellationToken.None);
}

public sealed class ExpireFlowActivity(FlowWork work) : TaskActivity<string, FlowState>
{
    public override Task<FlowState> RunAsync(TaskActivityContext context, string input) => work.ExpireAsync(input, CancellationToken.None);
}

public sealed class ApplyEffectActivity(FlowWork work) : TaskActivity<string, FlowState>
{
    public override Task<FlowState> RunAsync(TaskActivityContext context, string input) => work.ApplyEffectAsync(input, CancellationToken.None);
}

public sealed class ReadFlowActivity(FlowWork work) : TaskActivity<string, FlowState>
{
    public override Task<FlowState> RunAsync(TaskActivityContext context, string input) => work.ReadAsync(input, CancellationToken.None);
}

public sealed class SendNoticesActivity(FlowWork work) : TaskActivity<string, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, string input) => work.SendNoticesAsync(input, CancellationToken.None);
}
