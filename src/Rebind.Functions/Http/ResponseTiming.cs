namespace Rebind.Functions.Http;

/// <summary>
/// Keeps answers about unknown identifiers as slow as answers about known ones. The known path reports how long
/// its extra work took (storage the unknown path skips), per kind of answer; the unknown path waits out the rest
/// of their recent median. Wall-clock on purpose: this is about response timing, not domain time, so it does not
/// go through <see cref="TimeProvider"/>.
/// </summary>
public sealed class ResponseTiming<TKey>
    where TKey : notnull
{
    private const int Samples = 15;
    private readonly Dictionary<TKey, (long[] Ticks, int Count)> samples = [];

    /// <summary>The known path's extra work for an answer of kind <paramref name="key"/> took <paramref name="took"/>.</summary>
    public void Learn(TKey key, TimeSpan took)
    {
        lock (samples)
        {
            var (ticks, count) = samples.TryGetValue(key, out var known) ? known : (new long[Samples], 0);
            ticks[count % Samples] = took.Ticks;
            samples[key] = (ticks, count + 1);
        }
    }

    /// <summary>The median of the recent samples of <paramref name="key"/>; zero before the first.</summary>
    public TimeSpan Median(TKey key)
    {
        long[] recent;
        lock (samples)
        {
            if (!samples.TryGetValue(key, out var known))
            {
                return TimeSpan.Zero;
            }
            recent = known.Ticks[..Math.Min(known.Count, Samples)];
        }

        Array.Sort(recent);
        return TimeSpan.FromTicks(recent[recent.Length / 2]);
    }

    /// <summary>
    /// After unknown-path work that took <paramref name="took"/> so far: waits out the rest of the median. A timer
    /// fires late (whole milliseconds, then the thread pool: 1–2 ms on Linux), which on a short answer such as a
    /// throttled sign-in is a visible difference. So the timer waits only for the bulk, ending a margin (2 ms plus
    /// the recent median overshoot) early, and the rest is spun out to the exact end.
    /// </summary>
    public async Task PadAsync(TKey key, TimeSpan took, CancellationToken cancellationToken)
    {
        var pad = Median(key) - took;
        if (pad <= TimeSpan.Zero)
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var bulk = pad - TimeSpan.FromMilliseconds(2) - overshoot.Median();
        if (bulk >= TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(bulk, cancellationToken);
            overshoot.Learn(System.Diagnostics.Stopwatch.GetElapsedTime(started) - bulk);
        }

        // At most the margin (a few milliseconds), on the unknown path only.
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < pad)
        {
            Thread.Yield();
        }
    }

    private readonly Overshoot overshoot = new();

    /// <summary>Recent timer overshoots (actual wait minus the wait asked for).</summary>
    private sealed class Overshoot
    {
        private readonly long[] ticks = new long[31];
        private int count;

        public void Learn(TimeSpan late)
        {
            lock (ticks)
            {
                ticks[count++ % ticks.Length] = Math.Max(0, late.Ticks);
            }
        }

        public TimeSpan Median()
        {
            long[] recent;
            lock (ticks)
            {
                recent = ticks[..Math.Min(count, ticks.Length)];
            }

            if (recent.Length == 0)
            {
                return TimeSpan.Zero;
            }

            Array.Sort(recent);
            return TimeSpan.FromTicks(recent[recent.Length / 2]);
        }
    }
}
