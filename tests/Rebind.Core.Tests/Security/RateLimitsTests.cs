using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Tests.Security;

public sealed class RateLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 9, 40, 0, TimeSpan.Zero);

    [Fact]
    public void Check_UnderLimit_Allows()
    {
        Assert.Null(RateLimits.Check(FlowPolicy.Default.SmsPerDestinationPerHour, 9, Now));
    }

    [Fact]
    public void Check_AtLimit_RateLimitedUntilWindowEnd()
    {
        var error = RateLimits.Check(FlowPolicy.Default.SmsPerDestinationPerHour, 10, Now.AddSeconds(0.5));

        Assert.Equal(FlowErrorCodes.RateLimited, error?.Code);
        Assert.Equal(20 * 60, error!.Details["retryAfterSeconds"]);
        Assert.Equal("sms_destination_hour", error.Details["rule"]);
    }

    [Fact]
    public void CheckAll_HourAndDayFull_ReportsLongerWait()
    {
        var policy = FlowPolicy.Default;

        var error = RateLimits.CheckAll([(policy.SmsPerDestinationPerHour, 10), (policy.SmsPerDestinationPerDay, 20)], Now);

        Assert.Equal("sms_destination_day", error!.Details["rule"]);
        Assert.Equal((24 * 60 - 9 * 60 - 40) * 60, error.Details["retryAfterSeconds"]);
    }

    [Fact]
    public void Check_IpStarts_150thAllowed151stRefused()
    {
        var rule = FlowPolicy.Default.FlowStartsPerIpPerHour;

        Assert.Null(RateLimits.Check(rule, 149, Now));
        Assert.NotNull(RateLimits.Check(rule, 150, Now));
    }

    [Fact]
    public void WindowStart_Hour_AlignedToHour()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero), RateLimits.WindowStart(FlowPolicy.Default.FlowStartsPerIpPerHour, Now));
    }

    [Fact]
    public void DestinationRules_Email_UsesEmailRules()
    {
        Assert.All(FlowPolicy.Default.DestinationRules(Channel.Email), r => Assert.StartsWith("email_", r.Name, StringComparison.Ordinal));
    }
}
