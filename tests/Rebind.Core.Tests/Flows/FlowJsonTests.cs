using System.Text.Json;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;

namespace Rebind.Core.Tests.Flows;

public sealed class FlowJsonTests
{
    private static Flow FullFlow() => new()
    {
        Id = "Q2xhc3NpZmllZC1pZC0xMjM0NTY3ODkw",
        Kind = "change_phone",
        State = "awaiting_new_phone_code",
        CreatedAt = new DateTimeOffset(2026, 1, 15, 9, 0, 0, 123, TimeSpan.Zero),
        Deadline = new DateTimeOffset(2026, 1, 15, 17, 30, 0, TimeSpan.FromHours(8)),
        AccountId = "0193a0c4e1b07c3f8a2b5d6e7f809112",
        Phone = "+8613812345678",
        Email = "li.wei@example.com",
        Culture = "zh-CN",
        Challenges =
        [
            new Challenge
            {
                Step = "old_phone", Channel = Channel.Sms, Destination = "+8613812345678", CodeHash = "aGFzaA==", KeyId = "k1",
                SentAt = new DateTimeOffset(2026, 1, 15, 9, 0, 1, TimeSpan.Zero), ExpiresAt = new DateTimeOffset(2026, 1, 15, 9, 10, 1, TimeSpan.Zero),
                Sends = 2, FailedAttempts = 3, Used = true,
            },
            new Challenge
            {
                Step = "email", Channel = Channel.Email, Destination = "li.wei@example.com", CodeHash = "aGFzaDI=", KeyId = "k2",
                SentAt = new DateTimeOffset(2026, 1, 15, 9, 5, 0, TimeSpan.Zero), ExpiresAt = new DateTimeOffset(2026, 1, 15, 9, 15, 0, TimeSpan.Zero),
                Dead = true, Pretend = true,
            },
        ],
        Data = new Dictionary<string, string> { ["new_phone"] = "+85291234567", ["note"] = "含中文" },
        Outcome = "phone_already_bound",
        FinishedAt = new DateTimeOffset(2026, 1, 15, 9, 20, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Serialize_FullFlow_RoundTripsEveryMember()
    {
        var flow = FullFlow();

        var json = FlowJson.Serialize(flow);
        var back = FlowJson.Deserialize(json);

        Assert.Equal(json, FlowJson.Serialize(back));
        Assert.Equal(flow with { Challenges = back.Challenges, Data = back.Data }, back);
        Assert.Equal(flow.Challenges, back.Challenges);
        Assert.Equal(flow.Data.OrderBy(p => p.Key), back.Data.OrderBy(p => p.Key));
        Assert.Equal(flow.Deadline.Offset, back.Deadline.Offset);
    }

    [Fact]
    public void Serialize_Flow_UsesStringStatesAndChannels()
    {
        var json = FlowJson.Serialize(FullFlow());

        using var doc = JsonDocument.Parse(json);
        Assert.Equal("awaiting_new_phone_code", doc.RootElement.GetProperty("state").GetString());
        Assert.Equal("Sms", doc.RootElement.GetProperty("challenges")[0].GetProperty("channel").GetString());
        Assert.False(doc.RootElement.TryGetProperty("isTerminal", out _));
    }

    [Fact]
    public void Serialize_StartedSignUpFlow_RoundTrips()
    {
        var kit = new FlowTestKit();
        var (flow, _) = kit.StartSignUp();

        var back = FlowJson.Deserialize(FlowJson.Serialize(flow));

        Assert.Equal(FlowJson.Serialize(flow), FlowJson.Serialize(back));
        Assert.Equal(flow.Challenges, back.Challenges);
    }

    [Fact]
    public void Serialize_DefaultOptions_AlsoRoundTrips()
    {
        var flow = FullFlow();

        var back = JsonSerializer.Deserialize<Flow>(JsonSerializer.Serialize(flow))!;

        Assert.Equal(flow.Challenges, back.Challenges);
        Assert.Equal(flow.Deadline, back.Deadline);
    }

    [Fact]
    public void Serialize_Effects_PolymorphicRoundTrip()
    {
        FlowEffect effect = new CreateAccount("acc1", "+8613812345678", "pbkdf2-sha256$1$c2FsdA==$aGFzaA==", "flow1", DateTimeOffset.UnixEpoch);

        var back = JsonSerializer.Deserialize<FlowEffect>(JsonSerializer.Serialize(effect, FlowJson.Options), FlowJson.Options);

        Assert.Equal(effect, back);
    }
}
