using System.Text.Json.Serialization;

namespace Rebind.Core.Flows;

/// <summary>
/// One persisted flow instance: plain data, stored as JSON (see <see cref="FlowJson"/>). Transitions never
/// mutate it; they return a new instance in a <see cref="FlowStep"/>.
/// </summary>
public sealed record Flow
{
    /// <summary>Unguessable id (192 bits from the CSPRNG, base64url); see <see cref="FlowIds"/>.</summary>
    public required string Id { get; init; }

    /// <summary>Flow kind, e.g. <c>signup_phone</c>; picks the <see cref="IFlowDefinition"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Current state name; terminal states are in <see cref="FlowStates"/>.</summary>
    public required string State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>After this instant any input expires the flow (lazy expiry) and cleanup may expire it.</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>Owner, for flows started while signed in; null for flows started from the sign-in page.</summary>
    public string? AccountId { get; init; }

    /// <summary>Normalized phone (E.164) the flow concerns, if any.</summary>
    public string? Phone { get; init; }

    /// <summary>Normalized email the flow concerns, if any.</summary>
    public string? Email { get; init; }

    /// <summary><c>zh-CN</c> or <c>en</c>; messages and error texts use it.</summary>
    public required string Culture { get; init; }

    /// <summary>At most one challenge per step; a resend replaces the step's challenge.</summary>
    public IReadOnlyList<Challenge> Challenges { get; init; } = [];

    /// <summary>Kind-specific values (e.g. a password hash awaiting the account). Secrets here are hashes only.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>For finished flows other than <c>completed</c>: the error code that ended it.</summary>
    public string? Outcome { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    [JsonIgnore]
    public bool IsTerminal => FlowStates.IsTerminal(State);

    public Challenge? ChallengeFor(string step) => Challenges.FirstOrDefault(c => c.Step == step);

    /// <summary>Replaces the challenge of the same step, or adds it.</summary>
    public Flow WithChallenge(Challenge challenge) => this with
    {
        Challenges = [.. Challenges.Where(c => c.Step != challenge.Step), challenge],
    };

    public Flow WithData(string key, string value) => this with
    {
        Data = new Dictionary<string, string>(Data) { [key] = value },
    };

    public Flow WithoutData(string key)
    {
        var data = new Dictionary<string, string>(Data);
        data.Remove(key);
        return this with { Data = data };
    }

    /// <summary>Total codes sent (or pretended sent) in this flow, across steps.</summary>
    public int TotalSends => Challenges.Sum(c => c.Sends);

    /// <summary>
    /// Whether <paramref name="callerAccountId"/> may act on this flow: flows with an owner accept only the
    /// owner; flows without one are bearer flows (knowing the id is the capability).
    /// </summary>
    public bool AcceptsCaller(string? callerAccountId) =>
        AccountId is null || string.Equals(AccountId, callerAccountId, StringComparison.Ordinal);

    /// <summary>Moves to a terminal state.</summary>
    public Flow Finish(string terminalState, DateTimeOffset now, string? outcome = null)
    {
        if (!FlowStates.IsTerminal(terminalState))
        {
            throw new ArgumentException($"'{terminalState}' is not a terminal state.", nameof(terminalState));
        }

        return this with { State = terminalState, FinishedAt = now, Outcome = outcome };
    }
}
