using Rebind.Core.Flows;
using Rebind.Core.Identity;
using Rebind.Core.Security;

namespace Rebind.Core.Tests.Flows;

public sealed class FlowPolicyTests
{
    [Fact]
    public void Default_Values_MatchSecurityRules()
    {
        var p = FlowPolicy.Default;

        Assert.Empty(p.Validate());
        Assert.Equal((6, TimeSpan.FromMinutes(10), 5, 5), (p.CodeDigits, p.CodeLifetime, p.MaxFailedAttempts, p.MaxSendsPerFlow));
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(30)), (p.ResendCooldown, p.FlowLifetime));
        Assert.Equal((10, 20, 150), (p.SmsPerDestinationPerHour.Limit, p.SmsPerDestinationPerDay.Limit, p.FlowStartsPerIpPerHour.Limit));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public void Validate_CodeLifetimeOutside5To15Minutes_Rejected(int minutes)
    {
        var policy = FlowPolicy.Default with { CodeLifetime = TimeSpan.FromMinutes(minutes) };

        Assert.Contains(policy.Validate(), p => p.Contains("CodeLifetime", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new ChallengeService(policy, CodeKeyRing.CreateRandom()));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(15)]
    public void Validate_CodeLifetimeAtBounds_Accepted(int minutes)
    {
        Assert.Empty((FlowPolicy.Default with { CodeLifetime = TimeSpan.FromMinutes(minutes) }).Validate());
    }

    [Fact]
    public void Validate_ZeroAttemptsOrSends_Rejected()
    {
        Assert.Equal(2, (FlowPolicy.Default with { MaxFailedAttempts = 0, MaxSendsPerFlow = 0 }).Validate().Count);
    }

    [Fact]
    public void Start_CustomCodeLifetime_UsedForExpiryAndMessage()
    {
        var kit = new FlowTestKit(FlowPolicy.Default with { CodeLifetime = TimeSpan.FromMinutes(5) });

        var step = kit.SignUp.Start(PhoneNumber.FromE164("+8613812345678"), "en", kit.Now).Value;

        Assert.Equal(kit.Now.AddMinutes(5), step.Flow.Challenges[0].ExpiresAt);
        Assert.Equal("5", FlowTestKit.SingleMessage(step).Values["minutes"]);
    }
}
