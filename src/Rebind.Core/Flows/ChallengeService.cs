using System.Globalization;
using Rebind.Core.Messaging;
using System.Security.Cryptography;
using Rebind.Core.Security;

namespace Rebind.Core.Flows;

/// <summary>
/// Code rules shared by every flow kind: issue, resend and verify a step's challenge. Results follow
/// <see cref="FlowStep"/>'s convention: a failed <see cref="Result{T}"/> changed nothing; a step with an
/// <see cref="FlowStep.Error"/> recorded a failure that must be persisted.
/// </summary>
public sealed class ChallengeService
{
    private readonly CodeKeyRing keys;
    private readonly ICodeGenerator? codes;

    public ChallengeService(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
    {
        Policy = (policy ?? throw new ArgumentNullException(nameof(policy))).EnsureValid();
        this.keys = keys ?? throw new ArgumentNullException(nameof(keys));
        this.codes = codes;
    }

    public FlowPolicy Policy { get; }

    /// <summary>
    /// Issues a new code for <paramref name="step"/> (replacing any earlier challenge of that step) and the
    /// message carrying it. With <paramref name="pretend"/> the challenge looks the same but nothing is sent and
    /// no code verifies ("pretend we sent a code" for unknown identifiers). <paramref name="limitKey"/>: see
    /// <see cref="Challenge.LimitKey"/>. Fails with <c>too_many_sends</c>.
    /// </summary>
    public Result<FlowStep> Issue(Flow flow, string step, Channel channel, string destination, string messageKind, DateTimeOffset now, bool pretend = false, string? limitKey = null)
    {
        if (flow.TotalSends >= Policy.MaxSendsPerFlow)
        {
            return FlowErrors.TooManySends();
        }

        var previousSends = flow.ChallengeFor(step)?.Sends ?? 0;
        return NewChallenge(flow, step, channel, destination, messageKind, now, pretend, previousSends + 1, limitKey);
    }

    /// <summary>
    /// Sends a new code for <paramref name="step"/>: <c>too_many_sends</c> past the per-flow cap,
    /// <c>resend_cooldown</c> (with <c>retryAfterSeconds</c>) within the cooldown. The new code resets attempts.
    /// </summary>
    public Result<FlowStep> Resend(Flow flow, string step, string messageKind, DateTimeOffset now)
    {
        var current = flow.ChallengeFor(step);
        if (current is null || current.Used)
        {
            return FlowErrors.InvalidState(flow.State, "resend");
        }

        if (flow.TotalSends >= Policy.MaxSendsPerFlow)
        {
            return FlowErrors.TooManySends();
        }

        var readyAt = current.SentAt + Policy.ResendCooldown;
        if (now < readyAt)
        {
            return FlowErrors.ResendCooldown(FlowErrors.CeilSeconds(readyAt - now));
        }

        return NewChallenge(flow, step, current.Channel, current.Destination, messageKind, now, current.Pretend, current.Sends + 1, current.LimitKey);
    }

    /// <summary>
    /// Checks <paramref name="code"/> for <paramref name="step"/>. Success without error: the challenge is now
    /// used and the caller moves on. Success with <c>invalid_code</c> (<c>attemptsLeft</c>) or
    /// <c>too_many_attempts</c>: a wrong code was counted. Failure (nothing changed): <c>code_expired</c>,
    /// <c>code_used</c>, <c>too_many_attempts</c> (already dead), <c>invalid_state</c> (no challenge).
    /// </summary>
    public Result<FlowStep> Verify(Flow flow, string step, string code, DateTimeOffset now)
    {
        var challenge = flow.ChallengeFor(step);
        if (challenge is null)
        {
            return FlowErrors.InvalidState(flow.State, "submit_code");
        }

        if (challenge.Used)
        {
            return FlowErrors.CodeUsed();
        }

        if (challenge.Dead)
        {
            return FlowErrors.TooManyAttempts();
        }

        if (now >= challenge.ExpiresAt)
        {
            return FlowErrors.CodeExpired();
        }

        var normalized = NormalizeCode(code, Policy.CodeDigits);
        var matches = normalized is not null
            & keys.Verify(challenge.KeyId, challenge.CodeHash, flow.Id, step, challenge.Destination, normalized ?? new string('0', Policy.CodeDigits))
            & !challenge.Pretend;
        if (matches)
        {
            return FlowStep.Of(flow.WithChallenge(challenge with { Used = true }));
        }

        var failed = challenge.FailedAttempts + 1;
        var attemptsLeft = Policy.MaxFailedAttempts - failed;
        var updated = flow.WithChallenge(challenge with { FailedAttempts = failed, Dead = attemptsLeft <= 0 });
        return FlowStep.Failed(updated, attemptsLeft <= 0 ? FlowErrors.TooManyAttempts() : FlowErrors.InvalidCode(attemptsLeft));
    }

    /// <summary>
    /// As <see cref="Issue"/> and <see cref="Resend"/> for a durable step: send number <paramref name="send"/> of
    /// <paramref name="step"/> (1 for the first code, each resend the next), its code derived from the key ring
    /// (<see cref="CodeKeyRing.DeriveCode"/>) and its message's idempotency key from (flow, step, send), so that computing
    /// it again gives the same code and the same message. The caller checks the send limits and the cooldown first (the
    /// HTTP function answers them before it asks for a resend); <c>too_many_sends</c> still holds here.
    /// </summary>
    public Result<FlowStep> IssueDerived(Flow flow, string step, Channel channel, string destination, string messageKind, DateTimeOffset now, int send, bool pretend = false, string? limitKey = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (flow.TotalSends - (flow.ChallengeFor(step)?.Sends ?? 0) + send > Policy.MaxSendsPerFlow)
        {
            return FlowErrors.TooManySends();
        }

        var code = keys.DeriveCode(keys.CurrentKeyId, flow.Id, step, send, Policy.CodeDigits)!;
        return NewChallenge(flow, step, channel, destination, messageKind, now, pretend, send, limitKey, code, DerivedMessageKey(flow.Id, step, send));
    }

    /// <summary>
    /// The message of a challenge <see cref="IssueDerived"/> stored, built again from the challenge (same code, same
    /// idempotency key, same creation time): what a retried send delivers, which the sender then recognises as a repeat.
    /// Null for a pretend challenge (nothing is ever sent) or one whose key has left the ring.
    /// </summary>
    public OutboundMessage? DerivedMessage(Flow flow, Challenge challenge, string messageKind)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(challenge);
        if (challenge.Pretend || keys.DeriveCode(challenge.KeyId, flow.Id, challenge.Step, challenge.Sends, Policy.CodeDigits) is not { } code)
        {
            return null;
        }
        return CodeMessage(flow, challenge.Channel, challenge.Destination, messageKind, challenge.SentAt, challenge.ExpiresAt, code, DerivedMessageKey(flow.Id, challenge.Step, challenge.Sends));
    }

    /// <summary>The idempotency key of send <paramref name="send"/> of a step: the first 16 bytes of SHA-256 over (flow, step, send).</summary>
    public static Guid DerivedMessageKey(string flowId, string step, int send) =>
        new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{flowId}\n{step}\n{send.ToString(CultureInfo.InvariantCulture)}")).AsSpan(0, 16));

    /// <summary>
    /// A new challenge. Its code is derived from the key ring for (flow, step, send) and its message's idempotency key
    /// alike, so the flow's orchestration can build the same message again from the stored challenge
    /// (<see cref="DerivedMessage"/>) without the code ever passing through it; an injected
    /// <see cref="ICodeGenerator"/> (unit tests that pin codes) takes the code's place.
    /// </summary>
    private FlowStep NewChallenge(Flow flow, string step, Channel channel, string destination, string messageKind, DateTimeOffset now, bool pretend, int sends, string? limitKey)
        => NewChallenge(
            flow, step, channel, destination, messageKind, now, pretend, sends, limitKey,
            codes?.Generate(Policy.CodeDigits) ?? keys.DeriveCode(keys.CurrentKeyId, flow.Id, step, sends, Policy.CodeDigits)!,
            DerivedMessageKey(flow.Id, step, sends));

    private FlowStep NewChallenge(
        Flow flow, string step, Channel channel, string destination, string messageKind, DateTimeOffset now, bool pretend, int sends, string? limitKey, string code, Guid messageKey)
    {
        var expiresAt = Min(now + Policy.CodeLifetime, flow.Deadline);
        var challenge = new Challenge
        {
            Step = step,
            Channel = channel,
            Destination = destination,
            CodeHash = keys.Hash(keys.CurrentKeyId, flow.Id, step, destination, code)!,
            KeyId = keys.CurrentKeyId,
            SentAt = now,
            ExpiresAt = expiresAt,
            Sends = sends,
            Pretend = pretend,
            LimitKey = limitKey,
            MessageKind = messageKind,
        };

        var next = flow.WithChallenge(challenge);
        if (pretend)
        {
            return FlowStep.Of(next);
        }

        return FlowStep.Of(next, new SendMessage(CodeMessage(flow, channel, destination, messageKind, now, expiresAt, code, messageKey)));
    }

    private static OutboundMessage CodeMessage(
        Flow flow, Channel channel, string destination, string messageKind, DateTimeOffset sentAt, DateTimeOffset expiresAt, string code, Guid messageKey)
    {
        var minutes = (int)Math.Ceiling((expiresAt - sentAt).TotalMinutes);
        return new OutboundMessage(
            messageKey,
            channel,
            destination,
            messageKind,
            flow.Culture,
            new Dictionary<string, string>
            {
                [MessageValues.CodeValue] = code,
                [MessageValues.MinutesValue] = minutes.ToString(CultureInfo.InvariantCulture),
            },
            sentAt);
    }

    /// <summary>
    /// Digits only (full-width digits folded, spaces and dashes dropped); null when not exactly <paramref name="digits"/>
    /// digits. The HTTP layer refuses such a value before the flow is read, so it never costs an attempt.
    /// </summary>
    public static string? NormalizeCode(string? code, int digits)
    {
        if (code is null || code.Length > 32)
        {
            return null;
        }

        var normalized = new System.Text.StringBuilder(digits);
        foreach (var c in code)
        {
            if (c is ' ' or '-')
            {
                continue;
            }

            var value = CharUnicodeInfo.GetDecimalDigitValue(c);
            if (value < 0)
            {
                return null;
            }

            normalized.Append((char)('0' + value));
        }

        return normalized.Length == digits ? normalized.ToString() : null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
