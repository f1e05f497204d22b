using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Stores;

/// <summary>
/// How long one storage call may take, retries included: attempts, the wait between them and each attempt's timeout.
/// Request paths get <see cref="Request"/> (short: an outage must answer 503 before a mobile client gives up);
/// background work (the cleanup, outbox redelivery) runs inside <see cref="BackgroundScope"/> and gets
/// the policy's background budget, by default <see cref="Background"/> (longer: nobody waits on it, and riding out a blip beats leaving work for the next run).
/// </summary>
/// <param name="MaxRetries">Retries after the first attempt.</param>
/// <param name="Delay">The first wait between attempts; it doubles (with jitter) up to <paramref name="MaxDelay"/>.</param>
/// <param name="MaxDelay">The longest wait between attempts.</param>
/// <param name="NetworkTimeout">How long one attempt may wait for the service (what ends a request to a dead network path).</param>
/// <param name="RetryAfterTimeout">Whether an attempt that timed out is retried (Azure.Core's default) or ends the call.</param>
public sealed record StorageBudget(int MaxRetries, TimeSpan Delay, TimeSpan MaxDelay, TimeSpan NetworkTimeout, bool RetryAfterTimeout = true)
{
    /// <summary>
    /// One attempt of at most 2 s, or a fast failure (refused, reset, a 5xx) and a second attempt 0.2 s later: worst
    /// case about 2.2 s, so a request answers 503 within 3 s. No retry after a timeout: the slow attempt may well
    /// have been applied, and re-sending a write then meets its own result (409 on an insert, 412 on a replace)
    /// and reports a conflict that never was. (Measured: a 1 s timeout with a retry did exactly that under load.)
    /// </summary>
    public static readonly StorageBudget Request = new(1, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), RetryAfterTimeout: false);

    /// <summary>Worst case about 5 × 10 s + 15 s of waits; the cleanup's steps tolerate a re-sent write.</summary>
    public static readonly StorageBudget Background = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));

    internal const string PropertyName = "Rebind.StorageBudget";
    internal const string BackgroundValue = "background";

    /// <summary>
    /// Every storage call made inside the scope (on this async flow) gets the background budget. It rides on
    /// Azure.Core's message properties scope, so it works for any client built on Azure.Core (Azure.Data.Tables too).
    /// </summary>
    public static IDisposable BackgroundScope() =>
        HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [PropertyName] = BackgroundValue });

    /// <summary>Sets this budget's retries and network timeout on client options (<see cref="ClientOptions.Retry"/>).</summary>
    public void ApplyTo(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.Delay = Delay;
        retry.MaxDelay = MaxDelay;
        retry.NetworkTimeout = NetworkTimeout;
    }

    internal RetryPolicy CreateRetryPolicy() => new BudgetRetryPolicy(this);

    /// <summary>Azure.Core's retry policy, minus retries after a network timeout when the budget says so.</summary>
    private sealed class BudgetRetryPolicy(StorageBudget budget)
        : RetryPolicy(budget.MaxRetries, DelayStrategy.CreateExponentialDelayStrategy(budget.Delay, budget.MaxDelay))
    {
        protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
            !StopAfter(message, exception) && base.ShouldRetry(message, exception);

        protected override async ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
            !StopAfter(message, exception) && await base.ShouldRetryAsync(message, exception).ConfigureAwait(false);

        // A cancellation the caller did not ask for is the network timeout (ResponseBodyPolicy's).
        private bool StopAfter(HttpMessage message, Exception? exception) =>
            !budget.RetryAfterTimeout && exception is OperationCanceledException && !message.CancellationToken.IsCancellationRequested;
    }
}

/// <summary>
/// The retry policy of the storage clients (<see cref="ClientOptions.RetryPolicy"/>): Azure.Core's own
/// <see cref="RetryPolicy"/> with the budget the message carries, <see cref="StorageBudget.Request"/> unless the call
/// was made inside <see cref="StorageBudget.BackgroundScope"/>. The default is the short one, so a request path can
/// never wait long by forgetting a scope.
/// </summary>
public sealed class StorageBudgetRetryPolicy : HttpPipelinePolicy
{
    private readonly StorageBudget request;
    private readonly RetryPolicy requestRetry;
    private readonly StorageBudget background;
    private readonly RetryPolicy backgroundRetry;

    public StorageBudgetRetryPolicy(StorageBudget request, StorageBudget background)
    {
        this.request = request;
        this.background = background;
        requestRetry = request.CreateRetryPolicy();
        backgroundRetry = background.CreateRetryPolicy();
    }

    /// <summary>Options for a storage client with these budgets: <see cref="ClientOptions.Retry"/> holds the request
    /// budget (the default), <see cref="ClientOptions.RetryPolicy"/> picks per call.</summary>
    public static void Configure(ClientOptions options, StorageBudget request, StorageBudget background)
    {
        request.ApplyTo(options.Retry);
        options.RetryPolicy = new StorageBudgetRetryPolicy(request, background);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (budget, retry) = Pick(message);
        message.NetworkTimeout = budget.NetworkTimeout;
        return retry.ProcessAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (budget, retry) = Pick(message);
        message.NetworkTimeout = budget.NetworkTimeout;
        retry.Process(message, pipeline);
    }

    private (StorageBudget, RetryPolicy) Pick(HttpMessage message) =>
        message.TryGetProperty(StorageBudget.PropertyName, out var value) && value is StorageBudget.BackgroundValue
            ? (background, backgroundRetry)
            : (request, requestRetry);
}
