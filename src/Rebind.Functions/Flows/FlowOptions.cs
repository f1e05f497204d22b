namespace Rebind.Functions.Flows;

/// <summary>Settings under <c>Flows</c>.</summary>
public sealed class FlowOptions
{
    /// <summary>How long finished flows (and their outbox rows) are kept before the cleanup deletes them.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>Delivery attempts per message before it is marked failed.</summary>
    public int OutboxMaxAttempts { get; set; } = 6;

    /// <summary>First retry delay of an undelivered message; doubles per attempt, at most one hour.</summary>
    public int OutboxFirstRetrySeconds { get; set; } = 60;

    /// <summary>When the cleanup resumes a flow still waiting on an effect (the request carrying it crashed).</summary>
    public int ResumeAfterSeconds { get; set; } = 120;

    /// <summary>
    /// How long a request to an orchestrated flow waits for the orchestration's next move (a code sent, the account
    /// created) before it answers with the flow as it is (<c>202</c> while an effect is still running).
    /// </summary>
    public int AnswerWaitMilliseconds { get; set; } = 2000;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    /// <summary>Delay before attempt <paramref name="attempts"/> + 1, at least the provider's hint.</summary>
    public TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var exponential = TimeSpan.FromSeconds(OutboxFirstRetrySeconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        var capped = exponential > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : exponential;
        return retryAfter is { } hint && hint > capped ? hint : capped;
    }
}
