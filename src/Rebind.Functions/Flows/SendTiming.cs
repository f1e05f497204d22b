using Rebind.Core.Messaging;

namespace Rebind.Functions.Flows;

/// <summary>
/// Keeps "pretend we sent a code" as slow as really sending one. Flows started from the sign-in page issue
/// pretend challenges for unknown identifiers: nothing is delivered, so the answer would come back faster by
/// the delivery time (one storage write and one record with the development inbox; an ACS round trip in
/// production). The engine reports how long real code deliveries took, per channel, and waits their recent
/// median after a pretend one — the approach sign-in takes for unknown accounts. Wall-clock on purpose: this is
/// about response timing, not domain time, so it does not go through <see cref="TimeProvider"/>.
/// </summary>
public sealed class SendTiming
{
    private const int Samples = 15;
    private readonly Dictionary<Channel, (long[] Ticks, int Count)> samples = new()
    {
        [Channel.Sms] = (new long[Samples], 0),
        [Channel.Email] = (new long[Samples], 0),
    };

    /// <summary>A real code delivery on <paramref name="channel"/> took <paramref name="took"/>.</summary>
    public void Learn(Channel channel, TimeSpan took)
    {
        lock (samples)
        {
            var (ticks, count) = samples[channel];
            ticks[count % Samples] = took.Ticks;
            samples[channel] = (ticks, count + 1);
        }
    }

    /// <summary>The median of the recent real deliveries on <paramref name="channel"/>; zero before the first.</summary>
    public TimeSpan Median(Channel channel)
    {
        long[] recent;
        lock (samples)
        {
            var (ticks, count) = samples[channel];
            recent = ticks[..Math.Min(count, Samples)];
        }

        if (recent.Length == 0)
        {
            return TimeSpan.Zero;
        }

        Array.Sort(recent);
        return TimeSpan.FromTicks(recent[recent.Length / 2]);
    }

    /// <summary>After a pretend send that took <paramref name="took"/> so far: waits out the rest of the median.</summary>
    public Task PadAsync(Channel channel, TimeSpan took, CancellationToken cancellationToken)
    {
        var pad = Median(channel) - took;
        return pad > TimeSpan.Zero ? Task.Delay(pad, cancellationToken) : Task.CompletedTask;
    }
}
