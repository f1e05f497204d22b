using Rebind.Core.Security;

namespace Rebind.Core.Tests.Security;

public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SignInThrottle throttle = SignInThrottle.Default;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 30)]
    [InlineData(6, 60)]
    [InlineData(7, 120)]
    [InlineData(9, 480)]
    [InlineData(10, 900)]
    [InlineData(99, 900)]
    [InlineData(1000, 900)]
    public void DelayAfter_Failures_DoublesFromFifthAndCaps(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), throttle.DelayAfter(failures));
    }

    [Fact]
    public void RetryAfterSeconds_CountsFromLastFailure()
    {
        Assert.Equal(30, throttle.RetryAfterSeconds(5, Now, Now));
        Assert.Equal(10, throttle.RetryAfterSeconds(5, Now.AddSeconds(-20), Now));
        Assert.Equal(1, throttle.RetryAfterSeconds(5, Now.AddSeconds(-29.5), Now));
        Assert.Equal(0, throttle.RetryAfterSeconds(5, Now.AddSeconds(-30), Now));
        Assert.Equal(0, throttle.RetryAfterSeconds(4, Now, Now));
    }

    [Fact]
    public void IsAtCeiling_HundredFailures_True()
    {
        Assert.False(throttle.IsAtCeiling(99));
        Assert.True(throttle.IsAtCeiling(100));
    }
}
