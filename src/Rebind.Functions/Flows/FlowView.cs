using Rebind.Core.Flows;
using Rebind.Core.Messaging;

namespace Rebind.Functions.Flows;

/// <summary>What a client sees of a flow.</summary>
/// <param name="Next">The input to POST next (<c>code</c>, <c>password</c>), <c>wait</c>, or null when finished.</param>
/// <param name="ExpiresAt">The flow's deadline.</param>
/// <param name="ResendAvailableAt">When <c>POST /resend</c> is allowed; null when no code can be resent.</param>
/// <param name="CodeExpiresAt">When the current code stops working.</param>
/// <param name="AttemptsLeft">Wrong codes still allowed for the current code.</param>
/// <param name="Destination">Where the current code went, masked.</param>
/// <param name="Outcome">For failed, expired or cancelled flows: the error code that ended it.</param>
public sealed record FlowView(
    string FlowId,
    string Kind,
    string State,
    string? Next,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ResendAvailableAt,
    DateTimeOffset? CodeExpiresAt,
    int? AttemptsLeft,
    string? Destination,
    string? Outcome)
{
    /// <summary>Security questions to answer (<c>recover_phone_by_questions</c> only); omitted otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<QuestionView>? Questions { get; init; }

    public static FlowView From(Flow flow, IFlowKind? kind, FlowPolicy policy)
    {
        var current = flow.IsTerminal ? null : flow.Challenges.LastOrDefault(c => !c.Used);
        var next = flow.IsTerminal ? null : kind?.NextStep(flow) ?? (current is null ? null : FlowNextSteps.Code);
        DateTimeOffset? resendAt = current is not null && flow.TotalSends < policy.MaxSendsPerFlow ? current.SentAt + policy.ResendCooldown : null;
        return new FlowView(
            flow.Id,
            flow.Kind,
            flow.State,
            next,
            flow.Deadline,
            resendAt,
            current?.ExpiresAt,
            current is null ? null : Math.Max(0, policy.MaxFailedAttempts - current.FailedAttempts),
            current is null || kind?.ShowsDestination(flow, current) == false ? null : Mask.Address(current.Channel, current.Destination),
            flow.State == FlowStates.Completed ? null : flow.Outcome)
        {
            Questions = flow.IsTerminal ? null : kind?.Questions(flow),
        };
    }
}
