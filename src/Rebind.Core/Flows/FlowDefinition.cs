namespace Rebind.Core.Flows;

/// <summary>
/// Rules every kind shares, applied before the kind's own <c>switch</c>: terminal flows refuse input
/// (<c>flow_completed</c>, ...), any input after the deadline expires the flow (<c>flow_expired</c>, persisted),
/// <see cref="Cancel"/> and <see cref="Expire"/> are handled here. States waiting on a domain effect
/// (<see cref="IsAwaitingEffect"/>) are exempt from expiry and cancel: the effect may already have changed the
/// world, so only its outcome (or <see cref="Resume"/>) moves them on.
/// </summary>
public abstract class FlowDefinition : IFlowDefinition
{
    protected FlowDefinition(FlowPolicy policy)
    {
        Policy = (policy ?? throw new ArgumentNullException(nameof(policy))).EnsureValid();
    }

    public abstract string Kind { get; }

    public FlowPolicy Policy { get; }

    public abstract Result<FlowStep> Start(FlowStart request, DateTimeOffset now);

    public Result<FlowStep> Apply(Flow flow, FlowInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(input);
        if (flow.Kind != Kind)
        {
            throw new ArgumentException($"Flow kind '{flow.Kind}' given to the '{Kind}' definition.", nameof(flow));
        }

        if (flow.IsTerminal)
        {
            return FlowErrors.ForTerminal(flow);
        }

        var awaitingEffect = IsAwaitingEffect(flow);
        if (!awaitingEffect && now >= flow.Deadline)
        {
            return DeadlinePassed(flow, input, now);
        }

        switch (input)
        {
            case Expire:
                // Not due yet (or waiting on an effect): the cleanup read a stale bucket; nothing to do.
                return FlowErrors.InvalidState(flow.State, input.Name);
            case Cancel when awaitingEffect:
                return FlowErrors.InvalidState(flow.State, input.Name);
            case Cancel:
                return FlowStep.Of(flow.Finish(FlowStates.Cancelled, now, FlowErrorCodes.FlowCancelled));
            default:
                return Transition(flow, input, now);
        }
    }

    /// <summary>The kind's own transitions: an explicit <c>switch</c> on <see cref="Flow.State"/>.</summary>
    protected abstract Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now);

    /// <summary>
    /// Any input at or after the deadline: expires the flow (persisted; <c>flow_expired</c> unless the input is
    /// <see cref="Expire"/>). A kind whose deadline means something else in some state (the end of a cool-off)
    /// overrides this.
    /// </summary>
    protected virtual Result<FlowStep> DeadlinePassed(Flow flow, FlowInput input, DateTimeOffset now)
    {
        var expired = flow.Finish(FlowStates.Expired, now, FlowErrorCodes.FlowExpired);
        return input is Expire ? FlowStep.Of(expired) : FlowStep.Failed(expired, FlowErrors.FlowExpired());
    }

    /// <summary>True in states that wait for the outcome of a domain effect (e.g. <c>creating_account</c>).</summary>
    protected virtual bool IsAwaitingEffect(Flow flow) => false;

    public bool AwaitsEffect(Flow flow) => IsAwaitingEffect(flow);

    /// <summary>A new flow of this kind in <paramref name="state"/>, with the policy's deadline.</summary>
    /// <summary>
    /// The checks a new password passes before any kind stores its hash: the password policy (<c>weak_password</c>),
    /// then, for a reset, not the current one (<c>password_same_as_current</c>; the integrator hashes nothing
    /// then), then a hash from <see cref="Security.PasswordHasher"/> (anything else is an integrator bug: throws).
    /// </summary>
    protected static Error? CheckNewPassword(SetPassword set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (Security.PasswordPolicy.Check(set.Password) is { } weak)
        {
            return weak;
        }

        if (set.SameAsCurrent)
        {
            return FlowErrors.PasswordSameAsCurrent();
        }

        if (!Security.PasswordHasher.IsWellFormed(set.PasswordHash))
        {
            throw new ArgumentException("The password hash is not a PasswordHasher hash.", nameof(set));
        }
        return null;
    }

    protected Flow NewFlow(string state, FlowStart request, DateTimeOffset now) => new()
    {
        Id = FlowIds.New(),
        Kind = Kind,
        State = state,
        CreatedAt = now,
        Deadline = now + Policy.FlowLifetime,
        AccountId = request.AccountId,
        Culture = Cultures.Normalize(request.Culture),
    };
}
