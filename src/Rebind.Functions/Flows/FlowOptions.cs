namespace Rebind.Functions.Flows;

/// <summary>Settings under <c>Flows</c>.</summary>
public sealed class FlowOptions
{
    /// <summary>How long finished flows (their rows and orchestration instances) are kept before the cleanup deletes them.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>Delivery attempts per notice (the activity's first try and <c>SendNotices</c>' retries) before it is marked failed.</summary>
    public int OutboxMaxAttempts { get; set; } = 6;

    /// <summary>
    /// How long a request to an orchestrated flow waits for the orchestration's next move (a code sent, the account
    /// created) before it answers with the flow as it is (<c>202</c> while an effect is still running).
    /// </summary>
    public int AnswerWaitMilliseconds { get; set; } = 2000;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}
