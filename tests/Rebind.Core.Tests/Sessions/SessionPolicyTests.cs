using Rebind.Core.Sessions;

namespace Rebind.Core.Tests.Sessions;

public sealed class SessionPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SessionPolicy policy = SessionPolicy.Default;

    private static Session NewSession(DateTimeOffset lastSeen) =>
        new("acc", SessionTokens.NewSessionId(), "stamp", Start, lastSeen, Start, Start.AddDays(90), null, null, null);

    [Fact]
    public void IsAlive_FreshSameStamp_True()
    {
        Assert.True(policy.IsAlive(NewSession(Start), "stamp", Start.AddMinutes(5)));
    }

    [Fact]
    public void IsAlive_OtherStamp_False()
    {
        Assert.False(policy.IsAlive(NewSession(Start), "rotated", Start.AddMinutes(5)));
    }

    [Fact]
    public void IsAlive_IdleThirtyDays_False()
    {
        Assert.True(policy.IsAlive(NewSession(Start), "stamp", Start.AddDays(30).AddTicks(-1)));
        Assert.False(policy.IsAlive(NewSession(Start), "stamp", Start.AddDays(30)));
    }

    [Fact]
    public void IsAlive_UsedDailyPastNinetyDays_False()
    {
        Assert.True(policy.IsAlive(NewSession(Start.AddDays(89)), "stamp", Start.AddDays(89.5)));
        Assert.False(policy.IsAlive(NewSession(Start.AddDays(89.9)), "stamp", Start.AddDays(90)));
    }

    [Fact]
    public void IsRecent_FifteenMinutesBoundary()
    {
        Assert.True(policy.IsRecent(Start, Start.AddMinutes(15)));
        Assert.False(policy.IsRecent(Start, Start.AddMinutes(15).AddSeconds(1)));
    }

    [Fact]
    public void NeedsTouch_OncePerMinute()
    {
        Assert.False(policy.NeedsTouch(NewSession(Start), Start.AddSeconds(59)));
        Assert.True(policy.NeedsTouch(NewSession(Start), Start.AddSeconds(60)));
    }
}
