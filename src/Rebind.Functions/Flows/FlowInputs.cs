using Azure;
using Stopwatch = System.Diagnostics.Stopwatch;
using Rebind.Azure.Flows;
using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Functions.Flows;

/// <summary>
/// The one path every flow input a person types takes: load (ETag) → check the caller → <see cref="FlowRegistry.Apply"/>
/// → rate-limit new codes → commit the flow row with the outbox rows of its notices (one transaction) → tell the flow's
/// orchestration (<see cref="Durable.FlowMoved"/>) → wait briefly for what it does next (<see cref="AwaitNextAsync"/>).
/// What a person typed is checked here, synchronously, against the row; the orchestration sends the codes and notices,
/// keeps the deadline and runs the effects, through its activities (<see cref="ApplyFromOrchestrationAsync"/>).
/// A lost ETag race reloads and re-applies, so a concurrent duplicate sees the winner's state (e.g. <c>code_used</c>).
/// A pretend code (unknown identifier on the sign-in page) counts against the visible limits exactly like a real one,
/// and its send (by the orchestration's activity) takes as long as a real one.
/// </summary>
public sealed class FlowInputs(
    FlowRegistry registry,
    FlowKinds kinds,
    TableFlowStore store,
    IRateLimiter limiter,
    FlowPolicy policy,
    Core.Messaging.SmsRegions smsRegions,
    Sms.SmsBudget smsBudget,
    FlowOptions options,
    IEnumerable<IFlowEffectHandler> handlers,
    IEnumerable<IFlowStepObserver> observers,
    Durable.IFlowOrchestrations orchestrations,
    OrchestrationWaitMetrics waitMetrics,
    FlowSignals signals,
    TimeProvider time,
    ILogger<FlowInputs> logger)
{
    private const int MaxRaces = 5;

    /// <summary>How often a request waiting on its orchestration reads the row without a signal (see <see cref="FlowSignals"/>).</summary>
    private static readonly TimeSpan FallbackRead = TimeSpan.FromMilliseconds(500);
    private readonly Dictionary<Type, IFlowEffectHandler> effectHandlers = handlers.ToDictionary(h => h.EffectType);

    /// <summary>Starts a flow: per-client start limit, the kind's Start, per-destination limits, commit, deliver.</summary>
    public async Task<Result<Flow>> StartAsync(string kind, FlowStart start, string clientAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await limiter.TryAcquireAsync(policy.FlowStartsPerIpPerHour, clientAddress, now, cancellationToken) is { } limited)
        {
            return limited;
        }

        var started = registry.Start(kind, start, now);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        var step = started.Value;
        var (refused, capped) = await CheckDestinationsAsync(step.Flow, IssuedChallenges(null, step.Flow), now, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        step = WithoutCapped(step, IssuedChallenges(null, step.Flow), capped);

        await store.InsertAsync(step.Flow, Messages(step), cancellationToken);
        await ObserveAsync(null, step, cancellationToken);
        var moved = signals.NextAsync(step.Flow.Id);
        try
        {
            await orchestrations.StartAsync(OrchestratorOf(step.Flow.Kind), step.Flow, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No orchestration, no code: take the row back (nothing would ever purge it), then answer the failure.
            signals.Forget(step.Flow.Id);
            await TryDeleteAsync(step.Flow.Id);
            throw;
        }
        return await AwaitNextAsync(step, IssuedChallenges(null, step.Flow).FirstOrDefault(), moved, cancellationToken);
    }

    private async Task TryDeleteAsync(string flowId)
    {
        try
        {
            await store.PurgeAsync(flowId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Flow {FlowRef}: its orchestration did not start and its row could not be taken back", FlowIds.Ref(flowId));
        }
    }

    /// <summary>The orchestrator that runs flows of <paramref name="kind"/>.</summary>
    private string OrchestratorOf(string kind) =>
        kinds.For(kind)?.Orchestrator ?? throw new InvalidOperationException($"Flow kind {kind} has no orchestrator.");

    /// <summary>The flow for a caller, expired first if its deadline has passed (persisted); <c>flow_not_found</c> otherwise.</summary>
    public async Task<Result<Flow>> ReadAsync(string flowId, string? callerAccountId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(flowId, cancellationToken);
        if (stored is null || !stored.Flow.AcceptsCaller(callerAccountId))
        {
            return FlowErrors.FlowNotFound();
        }

        if (!stored.Flow.IsTerminal && time.GetUtcNow() >= stored.Flow.Deadline)
        {
            var expired = await ApplyAsync(flowId, callerAccountId, (_, _) => Task.FromResult(Result<FlowInput>.Success(new Expire())), cancellationToken);
            if (expired.IsSuccess)
            {
                return expired;
            }
            return await store.GetAsync(flowId, cancellationToken) is { } reread ? reread.Flow : FlowErrors.FlowNotFound();
        }
        return stored.Flow;
    }

    /// <summary>
    /// Applies the input <paramref name="makeInput"/> builds from the current flow. Success is the flow after the
    /// step and its effects; a failure is the error to answer (a recorded one is persisted first).
    /// </summary>
    /// <param name="exclusiveStep">A step whose input is expensive to build (a password: PBKDF2). While the flow waits
    /// for it, the request first claims the step with a conditional write (<see cref="StepClaim"/>) and builds the
    /// input only if it won: of parallel requests one hashes, the others answer <c>flow_conflict</c> at once, and a
    /// request after the winner's commit finds the step gone. Null for cheap inputs.</param>
    public async Task<Result<Flow>> ApplyAsync(
        string flowId,
        string? callerAccountId,
        Func<Flow, CancellationToken, Task<Result<FlowInput>>> makeInput,
        CancellationToken cancellationToken,
        string? exclusiveStep = null)
    {
        var counted = false;
        IReadOnlySet<string> capped = new HashSet<string>();
        StepClaim? claim = null;
        for (var race = 0; race < MaxRaces; race++)
        {
            var stored = await store.GetAsync(flowId, cancellationToken);
            if (stored is null || !stored.Flow.AcceptsCaller(callerAccountId))
            {
                // The same answer for "no such flow" and "not yours": do not reveal it exists.
                return FlowErrors.FlowNotFound();
            }

            if (exclusiveStep is not null && claim is null && kinds.For(stored.Flow.Kind)?.NextStep(stored.Flow) == exclusiveStep)
            {
                if (StepClaim.HeldByAnother(stored.Flow, time.GetUtcNow()))
                {
                    return Http.RequestErrors.FlowConflict();
                }
                claim = StepClaim.New(time.GetUtcNow());
                var claimed = claim.On(stored.Flow);
                var claimedETag = await store.TryReplaceAsync(claimed, stored.ETag, [], cancellationToken);
                if (claimedETag is null)
                {
                    claim = null;
                    continue;
                }
                stored = new StoredFlow(claimed, claimedETag.Value);
            }

            var input = await makeInput(stored.Flow, cancellationToken);
            if (!input.IsSuccess)
            {
                await ReleaseAsync(stored, claim, cancellationToken);
                return input.Error;
            }

            var now = time.GetUtcNow();
            var applied = registry.Apply(StepClaim.Without(stored.Flow), input.Value, now);
            if (!applied.IsSuccess)
            {
                await ReleaseAsync(stored, claim, cancellationToken);
                return applied.Error;
            }

            var step = applied.Value;
            // Sends count once per request: a lost race re-applies the input but must not count it again.
            if (!counted)
            {
                var (refused, cappedNow) = await CheckDestinationsAsync(step.Flow, IssuedChallenges(stored.Flow, step.Flow), now, cancellationToken);
                if (refused is not null)
                {
                    return refused;
                }
                capped = cappedNow;
            }
            counted = true;
            step = WithoutCapped(step, IssuedChallenges(stored.Flow, step.Flow), capped);

            var etag = await TrySaveAsync(stored, step, cancellationToken);
            if (etag is null)
            {
                logger.LogInformation("Flow {FlowRef} changed under {Input}; re-applying", FlowIds.Ref(flowId), input.Value.Name);
                continue;
            }

            var (flow, error) = await AfterCommitAsync(stored.Flow, step, etag.Value, input.Value.Name, cancellationToken);
            return error is null ? flow : error;
        }

        return Http.RequestErrors.FlowConflict();
    }

    /// <summary>
    /// Applies an input from the flow's orchestration (<see cref="Expire"/>, <see cref="Resume"/>) without a caller
    /// check. Null when the input does not apply (already finished, not due yet by the row's clock).
    /// </summary>
    public async Task<Flow?> ApplyFromOrchestrationAsync(string flowId, FlowInput input, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(flowId, cancellationToken);
        if (stored is null)
        {
            return null;
        }
        var applied = registry.Apply(stored.Flow, input, time.GetUtcNow());
        if (!applied.IsSuccess)
        {
            return null;
        }
        var etag = await TrySaveAsync(stored, applied.Value, cancellationToken)
            ?? throw new RequestFailedException(412, $"Flow {FlowIds.Ref(flowId)} changed under its orchestration; the activity is retried.");
        var (flow, _) = await AfterCommitAsync(stored.Flow, applied.Value, etag, by: null, cancellationToken);
        return flow;
    }

    /// <summary>Gives back a claimed step the request did not use (its input was refused), so the person can retry at
    /// once; conditional on the claim's version, so it never undoes another request's write. A lost race is fine: the
    /// claim runs out by itself.</summary>
    private async Task ReleaseAsync(StoredFlow stored, StepClaim? claim, CancellationToken cancellationToken)
    {
        if (claim is not null && claim.IsOn(stored.Flow))
        {
            await store.TryReplaceAsync(StepClaim.Without(stored.Flow), stored.ETag, [], cancellationToken);
        }
    }

    private Task<ETag?> TrySaveAsync(StoredFlow stored, FlowStep step, CancellationToken cancellationToken) =>
        store.TryReplaceAsync(step.Flow, stored.ETag, Messages(step), cancellationToken);

    /// <summary>Challenges the step issued or re-issued (a new send, real or pretend).</summary>
    private static List<Challenge> IssuedChallenges(Flow? before, Flow after) =>
        after.Challenges.Where(c => before?.ChallengeFor(c.Step) is not { } old || old.Sends != c.Sends || old.SentAt != c.SentAt).ToList();

    /// <summary>
    /// Tells the observers, then, for a request's step, the flow's orchestration, and waits for its next move; for an
    /// orchestration's own step (<paramref name="by"/> null: its activity), runs the step's domain effect and feeds the
    /// outcome back (recursively). <paramref name="before"/>: the flow as it was before the step.
    /// </summary>
    /// <param name="by">The input a request applied; null for an orchestration's own.</param>
    private async Task<(Flow Flow, Error? Error)> AfterCommitAsync(Flow before, FlowStep step, ETag etag, string? by, CancellationToken cancellationToken)
    {
        await ObserveAsync(before, step, cancellationToken);
        if (by is not null)
        {
            // Its notices sit in the outbox rows committed with the step; the orchestration's activities send them.
            var moved = signals.NextAsync(step.Flow.Id);
            var issued = IssuedChallenges(before, step.Flow).FirstOrDefault();
            await TellOrchestrationAsync(before, step, issued, by, cancellationToken);
            var next = await AwaitNextAsync(step, issued, moved, cancellationToken);
            return next.IsSuccess ? (next.Value, step.Error) : (step.Flow, next.Error);
        }

        var flow = step.Flow;
        var error = step.Error;
        // Flow kinds emit at most one domain effect per step; each outcome step may emit the next.
        if (step.Effects.SingleOrDefault(e => e is not SendMessage) is { } effect)
        {
            if (!effectHandlers.TryGetValue(effect.GetType(), out var handler))
            {
                throw new InvalidOperationException($"No IFlowEffectHandler for {effect.GetType().Name}.");
            }

            var outcome = await handler.HandleAsync(effect, flow, cancellationToken);
            var applied = registry.Apply(flow, outcome, time.GetUtcNow());
            if (!applied.IsSuccess)
            {
                logger.LogWarning("Flow {FlowRef} refused effect outcome {Input}: {Code}", FlowIds.Ref(flow.Id), outcome.Name, applied.Error.Code);
                return (flow, applied.Error);
            }

            var next = await TrySaveAsync(new StoredFlow(flow, etag), applied.Value, cancellationToken);
            if (next is null)
            {
                // Someone else (the activity's earlier attempt) moved the flow on; it has finished the effect.
                var reread = await store.GetAsync(flow.Id, cancellationToken);
                return (reread?.Flow ?? flow, null);
            }
            var (after, afterError) = await AfterCommitAsync(flow, applied.Value, next.Value, by: null, cancellationToken);
            return (after, afterError ?? error);
        }
        return (flow, error);
    }

    /// <summary>
    /// Tells the flow's orchestration what a request committed: the input, the row's new state, the code a resend
    /// issued and how many notices the step queued (which the orchestration sends). A step that changed none of them
    /// (a wrong code counted) tells it nothing.
    /// </summary>
    /// <param name="issued">The challenge the step issued, if any (computed once by the caller, which waits on it too).</param>
    private async Task TellOrchestrationAsync(Flow before, FlowStep step, Challenge? issued, string input, CancellationToken cancellationToken)
    {
        var flow = step.Flow;
        var notices = Messages(step).Count;
        if (issued is null && notices == 0 && before.State == flow.State && before.Deadline == flow.Deadline)
        {
            return;
        }
        await orchestrations.RaiseAsync(flow.Id, new Durable.FlowMoved(input, flow.State, flow.Deadline, issued?.Step, issued?.Sends ?? 0, notices), cancellationToken);
    }

    /// <summary>
    /// After a request's commit to an orchestrated flow, waits (at most <see cref="FlowOptions.AnswerWaitMilliseconds"/>)
    /// for what the orchestration does next: a code the step issued is sent (or pretended, in the same time), an effect
    /// the step asked for has run, and the notices of either have gone out (no outbox row of the flow is pending). It
    /// reads the row when an activity of this process signals
    /// the flow (<paramref name="moved"/>, taken before the orchestration was told), and every half second besides (an
    /// activity on another instance). The answer is the row then; when the wait runs out, the row as the request left
    /// it (a client reads <c>GET /api/flows/{id}</c> later: the view says <c>wait</c>).
    /// </summary>
    private async Task<Result<Flow>> AwaitNextAsync(FlowStep step, Challenge? issued, Task moved, CancellationToken cancellationToken)
    {
        var flow = step.Flow;
        var awaitsEffect = step.Effects.Any(e => e is not SendMessage);
        var awaitsNotices = awaitsEffect || Messages(step).Count > 0;
        if (issued is null && !awaitsEffect && !awaitsNotices)
        {
            return flow;
        }

        try
        {
            var waited = Stopwatch.StartNew();
            var latest = flow;
            var budget = TimeSpan.FromMilliseconds(options.AnswerWaitMilliseconds);
            while (waited.Elapsed < budget)
            {
                var rest = budget - waited.Elapsed;
                await Task.WhenAny(moved, Task.Delay(rest < FallbackRead ? rest : FallbackRead, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                moved = signals.NextAsync(flow.Id);
                latest = (await store.GetAsync(flow.Id, cancellationToken))?.Flow ?? latest;
                var done = awaitsEffect
                    ? latest.State != flow.State
                    : issued is null || latest.ChallengeFor(issued.Step) is not { } current || current.Sends != issued.Sends || current.Delivered;
                if (done && awaitsNotices)
                {
                    done = (await store.GetOutboxAsync(flow.Id, cancellationToken)).All(e => e.Status != OutboxStatus.Pending);
                }
                if (done)
                {
                    waitMetrics.Waited(awaitsEffect, moved: true, waited.Elapsed);
                    // An effect that failed (the phone went to another account first) answers as it would have inline.
                    return awaitsEffect && latest.State == FlowStates.Failed ? FlowErrors.ForFailedEffect(latest) : latest;
                }
            }
            waitMetrics.Waited(awaitsEffect, moved: false, waited.Elapsed);
            logger.LogInformation("Flow {FlowRef}: its orchestration did not move within {Wait} ms; answered as it is", FlowIds.Ref(flow.Id), options.AnswerWaitMilliseconds);
            return latest;
        }
        finally
        {
            signals.Forget(flow.Id);
        }
    }

    /// <summary>Observers see committed steps only; one failing must not fail the step or hold back its effects.</summary>
    private async Task ObserveAsync(Flow? before, FlowStep step, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnStepAsync(before, step, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Flow {FlowRef}: step observer {Observer} failed", FlowIds.Ref(step.Flow.Id), observer.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Per-destination caps on codes, in two layers (docs/flows.md, "What a limit can reveal").
    /// <para>The caps a caller sees (a <c>429</c>) count on who asked for what: a code a sign-in-page flow sends
    /// because of an identifier typed (<see cref="Challenge.LimitKey"/>) counts on (flow kind, that identifier),
    /// real or pretend alike, so the answer depends only on what was typed on that page; any other code counts on
    /// (the flow's account, destination). Nothing an account's existence causes elsewhere (its sign-up, its
    /// signed-in changes, codes to its bound email) lands on a counter an anonymous caller can see.</para>
    /// <para>The destination's own cap (all codes to it, from every flow; pretend ones on the identifier typed) protects a phone or mailbox from
    /// being flooded. Reaching it never changes the answer: the code is simply not sent (the step is timed like a
    /// pretend one), because a visible refusal would say that real codes went there.</para>
    /// Notices are not codes and are never held back.
    /// <para>Before the caps, an SMS code must go to a region of <c>Sms__AllowedRegions</c> (the endpoints that take a
    /// new number check it before anything else; this catches every other SMS code, e.g. a resend or a bound number of
    /// a region taken off the list). After them, it is counted on the hourly SMS budgets (<see cref="Sms.SmsBudget"/>).
    /// Pretend codes go through both exactly like real ones: a refusal depends on the number typed and on the
    /// service, never on whether an account has it.</para>
    /// </summary>
    /// <returns>The visible refusal, if any; else the destinations whose codes are held back.</returns>
    private async Task<(Error? Refused, IReadOnlySet<string> Capped)> CheckDestinationsAsync(
        Flow flow, IReadOnlyList<Challenge> issued, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var capped = new HashSet<string>(StringComparer.Ordinal);
        var sms = issued.Where(c => c.Channel == Core.Messaging.Channel.Sms).ToList();
        foreach (var challenge in sms)
        {
            if (smsRegions.CheckE164(challenge.Destination) is { } outside)
            {
                return (outside, capped);
            }
        }

        foreach (var challenge in issued)
        {
            var asker = challenge.LimitKey is { } typed
                ? $"page|{flow.Kind}|{typed}"
                : $"account|{flow.AccountId ?? flow.Data.GetValueOrDefault(FlowDataKeys.AccountId) ?? "flow:" + flow.Id}|{challenge.Destination}";
            foreach (var rule in policy.DestinationRules(challenge.Channel))
            {
                if (await limiter.TryAcquireAsync(rule, asker, now, cancellationToken) is { } refused)
                {
                    return (refused, capped);
                }
            }
        }

        // Pretend codes count here too (on the identifier typed, where nothing is ever sent): the same storage work
        // either way, so this layer costs a real code no time a pretend one does not spend.
        foreach (var challenge in issued)
        {
            foreach (var rule in policy.DestinationRules(challenge.Channel))
            {
                if (await limiter.TryAcquireAsync(rule, challenge.Destination, now, cancellationToken) is not null)
                {
                    if (!challenge.Pretend)
                    {
                        logger.LogWarning("Flow {FlowRef}: a code held back, its destination reached {Rule}", FlowIds.Ref(flow.Id), rule.Name);
                        capped.Add(challenge.Destination);
                    }
                    break;
                }
            }
        }

        foreach (var challenge in sms)
        {
            if (await smsBudget.TryAcquireAsync(challenge.Destination, now, cancellationToken) is { } spent)
            {
                return (spent, capped);
            }
        }

        return (null, capped);
    }

    /// <summary>The step without the code messages to <paramref name="capped"/> destinations; the challenges it issued
    /// to them stay, marked <see cref="Challenge.HeldBack"/> (so an orchestration does not send them either).</summary>
    private static FlowStep WithoutCapped(FlowStep step, IReadOnlyList<Challenge> issued, IReadOnlySet<string> capped)
    {
        if (capped.Count == 0)
        {
            return step;
        }

        var kept = step.Effects.Where(e => e is not SendMessage send
            || !capped.Contains(send.Message.To)
            || !send.Message.Values.ContainsKey(Core.Messaging.MessageValues.CodeValue)).ToList();
        var flow = step.Flow;
        foreach (var challenge in issued.Where(c => !c.Pretend && capped.Contains(c.Destination)))
        {
            flow = flow.WithChallenge(challenge with { HeldBack = true });
        }
        return new FlowStep(flow, kept) { Error = step.Error };
    }

    /// <summary>The step's notices, committed as outbox rows with it (its codes are built and sent by the
    /// orchestration's <c>SendCode</c> activity, never stored).</summary>
    private static List<Core.Messaging.OutboundMessage> Messages(FlowStep step) =>
        step.Effects.OfType<SendMessage>().Select(s => s.Message)
            .Where(m => !m.Values.ContainsKey(Core.Messaging.MessageValues.CodeValue))
            .ToList();
}
