namespace Rebind.Functions.Hosting;

/// <summary>
/// The scheduled cleanup: one pass over what is due, running every <see cref="ICleanupTask"/> in order. A task
/// that throws is logged and reported; the others still run. Called by the timer function in Azure
/// (<see cref="Worker.CleanupFunction"/>) and by <see cref="CleanupScheduler"/> on the local host.
/// </summary>
public sealed class CleanupRunner(IEnumerable<ICleanupTask> tasks, ILogger<CleanupRunner> logger, TimeProvider time)
{
    /// <param name="more">Steps the host adds for this run only (the Functions worker's purge, whose client is bound per invocation).</param>
    public async Task<CleanupReport> RunAsync(CancellationToken cancellationToken = default, IEnumerable<ICleanupTask>? more = null)
    {
        // Background work: storage calls get the long retry budget (requests keep the short one).
        using var budget = Rebind.Azure.Stores.StorageBudget.BackgroundScope();
        var startedAt = time.GetUtcNow();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var took = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var failed = new List<string>();
        foreach (var task in tasks.Concat(more ?? []))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                counts[task.Name] = await task.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Cleanup step {Step} failed; the next run retries it", task.Name);
                failed.Add(task.Name);
            }
            took[task.Name] = clock.Elapsed;
        }

        var report = new CleanupReport(startedAt, counts, failed) { Took = took };
        logger.LogInformation("{Report}", report);
        return report;
    }
}

/// <param name="Counts">Items handled per step, by step name.</param>
/// <param name="Failed">Steps that threw.</param>
public sealed record CleanupReport(DateTimeOffset StartedAt, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> Failed)
{
    public CleanupReport(DateTimeOffset startedAt)
        : this(startedAt, new Dictionary<string, int>(), [])
    {
    }

    /// <summary>How long each step took (storage round trips mostly), by step name.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Took { get; init; } = new Dictionary<string, TimeSpan>();

    public override string ToString()
    {
        string Took(string step) => this.Took.TryGetValue(step, out var t) ? $" ({t.TotalMilliseconds:F0} ms)" : "";
        var steps = string.Join(", ", Counts.Select(c => $"{c.Key}={c.Value}{Took(c.Key)}").Concat(Failed.Select(f => $"{f}=failed{Took(f)}")));
        return steps.Length == 0 ? $"cleanup ran at {StartedAt:o}" : $"cleanup ran at {StartedAt:o}: {steps}";
    }
}
