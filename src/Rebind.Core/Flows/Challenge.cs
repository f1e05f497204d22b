using System.Text.Json.Serialization;
using Rebind.Core.Messaging;

namespace Rebind.Core.Flows;

/// <summary>
/// A code sent for one step of a flow. Only the HMAC of the code is kept (<see cref="CodeHash"/>, keyed by
/// <see cref="KeyId"/>); see <see cref="ChallengeService"/> for the rules.
/// </summary>
public sealed record Challenge
{
    /// <summary>Step name, e.g. <c>phone</c>, <c>old_phone</c>, <c>new_phone</c>, <c>email</c>.</summary>
    public required string Step { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<Channel>))]
    public required Channel Channel { get; init; }

    /// <summary>
    /// Normalized destination (E.164 or email). For a <see cref="Pretend"/> challenge it is what the user typed
    /// (normalized), so answers look the same; nothing is ever sent to it.
    /// </summary>
    public required string Destination { get; init; }

    /// <summary>Base64 HMAC-SHA256 over (flow id, step, destination, code).</summary>
    public required string CodeHash { get; init; }

    public required string KeyId { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Codes sent for this step so far (1 after the first send).</summary>
    public int Sends { get; init; } = 1;

    /// <summary>Wrong codes against the current code; reset by a resend.</summary>
    public int FailedAttempts { get; init; }

    /// <summary>The code was accepted once; it never verifies again.</summary>
    public bool Used { get; init; }

    /// <summary>Killed by too many wrong attempts; only a resend revives the step.</summary>
    public bool Dead { get; init; }

    /// <summary>"Pretend we sent a code": no message was sent and no code ever verifies.</summary>
    public bool Pretend { get; init; }

    /// <summary>
    /// For a code a sign-in-page flow sends because of an identifier the user typed (sign-up's phone, the reset's
    /// or recovery's identifier): that identifier, normalized, set alike on the real and the pretend path. The
    /// limits a caller can see count on it (per flow kind) instead of on <see cref="Destination"/>, so a 429 depends
    /// only on what was typed, never on where a code really went. Null for codes to an account's own or new contacts.
    /// </summary>
    public string? LimitKey { get; init; }

    /// <summary>The message kind (<c>signup_code</c>, ...) the code goes out in: what a flow's orchestration needs to send it.</summary>
    public string? MessageKind { get; init; }

    /// <summary>The destination's own cap was reached when the code was issued: it is not sent (the answer does not say so).</summary>
    public bool HeldBack { get; init; }

    /// <summary>The flow's orchestration has done this send (sent it, or nothing for a pretend or held-back code).</summary>
    public bool Delivered { get; init; }
}
