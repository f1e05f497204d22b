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

    /// <summary>After unknown-path work that took <paramref name="took"/> so far: waits out the rest of the median.</summary>
    public Task PadAsync(TKey key, TimeSpan took, CancellationToken cancellationToken)
    {
        var pad = Median(key) - took;
        return pad > TimeSpan.Zero ? Task.Delay(pad, cancellationToken) : Task.CompletedTask;
    }
}
