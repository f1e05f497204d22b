using Azure;
using Rebind.Azure.Communication.Sms;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Communication;

public class SmsClientTests : IAsyncLifetime
{
    private const string From = "+18005550100";
    private AcsStandIn standIn = null!;

    public async Task InitializeAsync() => standIn = await AcsStandIn.StartAsync();

    public async Task DisposeAsync() => await standIn.DisposeAsync();

    [Fact]
    public async Task SendAsync_SignedRequest_IsAcceptedAndDelivered()
    {
        var client = AcsTestSupport.Sms(standIn);

        var response = await client.SendAsync(From, "+14155550123", "hello", new SmsSendOptions(true) { Tag = "t1" });

        Assert.Equal(202, response.GetRawResponse().Status);
        Assert.True(response.Value.Successful);
        Assert.Equal("+14155550123", response.Value.To);
        Assert.Equal(202, response.Value.HttpStatusCode);
        var delivery = Assert.Single(standIn.SmsDeliveries);
        Assert.Equal(delivery.MessageId, response.Value.MessageId);
        Assert.Equal("hello", delivery.Message);
        Assert.Equal(From, delivery.From);
        var sent = Assert.Single(standIn.SmsRequests);
        Assert.Equal("/sms?api-version=2021-03-07", sent.PathAndQuery);
        Assert.True(sent.Json!["smsSendOptions"]!["enableDeliveryReport"]!.GetValue<bool>());
        Assert.Equal("t1", sent.Json!["smsSendOptions"]!["tag"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_WrongKey_ThrowsRequestFailed401WithoutRetry()
    {
        var client = new SmsClient($"endpoint={standIn.Endpoint};accesskey={Convert.ToBase64String(new byte[32])}", AcsTestSupport.Fast(new SmsClientOptions()));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(From, "+14155550123", "hello"));

        Assert.Equal(401, error.Status);
        Assert.Equal("Denied", error.ErrorCode);
        Assert.Single(standIn.SmsRequests);
        Assert.Empty(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SendAsync_ClientClock20MinutesOff_IsRejected()
    {
        var options = new SmsClientOptions { TimeProvider = new ManualTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-20)) };
        var client = AcsTestSupport.Sms(standIn, options);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(From, "+14155550123", "hello"));

        Assert.Equal(401, error.Status);
        Assert.Empty(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfter_RetriesAfterTheServersDelayWithSameRepeatabilityId()
    {
        standIn.ScriptSms(AcsStandInReply.Throttled(retryAfterSeconds: 1));
        var client = AcsTestSupport.Sms(standIn);
        var recipient = new SmsRecipient("+14155550123", Guid.NewGuid(), AcsTestSupport.CreatedAt);

        var response = await client.SendAsync(From, recipient, "hello");

        Assert.True(response.Value.Successful);
        var attempts = standIn.SmsRequests;
        Assert.Equal([429, 202], attempts.Select(a => a.Status));
        // The client's own back-off is 10 ms: a gap near one second is the Retry-After being honoured.
        Assert.True(attempts[1].ReceivedAt - attempts[0].ReceivedAt >= TimeSpan.FromMilliseconds(900),
            $"retried after {(attempts[1].ReceivedAt - attempts[0].ReceivedAt).TotalMilliseconds} ms");
        Assert.All(attempts, a => Assert.Equal(recipient.RepeatabilityRequestId.ToString(), RecipientField(a, "repeatabilityRequestId")));
        Assert.All(attempts, a => Assert.Equal("Thu, 15 Jan 2026 09:00:00 GMT", RecipientField(a, "repeatabilityFirstSent")));
        Assert.Single(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SendAsync_500AfterServiceProcessed_RetryWithSameIdIsNotDeliveredTwice()
    {
        standIn.ScriptSms(AcsStandInReply.ServerError(afterProcessing: true));
        var client = AcsTestSupport.Sms(standIn);
        var recipient = new SmsRecipient("+14155550123", Guid.NewGuid(), AcsTestSupport.CreatedAt);

        var response = await client.SendAsync(From, recipient, "hello");

        var attempts = standIn.SmsRequests;
        Assert.Equal([500, 202], attempts.Select(a => a.Status));
        Assert.Equal(RecipientField(attempts[0], "repeatabilityRequestId"), RecipientField(attempts[1], "repeatabilityRequestId"));
        var delivery = Assert.Single(standIn.SmsDeliveries);
        Assert.True(response.Value.Successful);
        Assert.Equal(delivery.MessageId, response.Value.MessageId);
        Assert.Equal("accepted", response.Value.RepeatabilityResult);
    }

    [Fact]
    public async Task SendAsync_500ThreeTimes_ThrowsAfterRetries()
    {
        standIn.ScriptSms(AcsStandInReply.ServerError(), AcsStandInReply.ServerError(), AcsStandInReply.ServerError());
        var client = AcsTestSupport.Sms(standIn);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(From, "+14155550123", "hello"));

        Assert.Equal(500, error.Status);
        Assert.Equal(3, standIn.SmsRequests.Count);
        Assert.Empty(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SendAsync_400_ThrowsWithErrorCodeAndIsNotRetried()
    {
        standIn.ScriptSms(AcsStandInReply.BadRequest("InvalidSender", "The sender is not owned by the resource."));
        var client = AcsTestSupport.Sms(standIn);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(From, "+14155550123", "hello"));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidSender", error.ErrorCode);
        Assert.Single(standIn.SmsRequests);
    }

    [Fact]
    public async Task SendAsync_NumberNotE164_StandInAnswers400()
    {
        var client = AcsTestSupport.Sms(standIn);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(From, "4155550123", "hello"));

        Assert.Equal(400, error.Status);
        Assert.Equal("BadRequest", error.ErrorCode);
        Assert.Empty(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SendAsync_202WithFailedRecipient_ReturnsUnsuccessfulResult()
    {
        standIn.ScriptSms(AcsStandInReply.FailedRecipient(400, "Invalid To phone number format."));
        var client = AcsTestSupport.Sms(standIn);

        var response = await client.SendAsync(From, "+14155550123", "hello");

        Assert.False(response.Value.Successful);
        Assert.Equal(400, response.Value.HttpStatusCode);
        Assert.Equal("Invalid To phone number format.", response.Value.ErrorMessage);
        Assert.Null(response.Value.MessageId);
        Assert.Empty(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SendAsync_ManyRecipients_ReturnsOneResultEachWithFreshIds()
    {
        var client = AcsTestSupport.Sms(standIn);

        var response = await client.SendAsync(From, ["+14155550123", "+8613812345678"], "hello");

        Assert.Equal(["+14155550123", "+8613812345678"], response.Value.Select(r => r.To));
        Assert.All(response.Value, r => Assert.True(r.Successful));
        var ids = standIn.SmsDeliveries.Select(d => d.RepeatabilityRequestId).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task SendAsync_SameRepeatabilityIdTwice_DeliversOnce()
    {
        var client = AcsTestSupport.Sms(standIn);
        var recipient = new SmsRecipient("+14155550123", Guid.NewGuid(), AcsTestSupport.CreatedAt);

        var first = await client.SendAsync(From, recipient, "hello");
        var second = await client.SendAsync(From, recipient, "hello");

        Assert.Equal(2, standIn.SmsRequests.Count);
        Assert.Single(standIn.SmsDeliveries);
        Assert.Equal(first.Value.MessageId, second.Value.MessageId);
    }

    [Fact]
    public async Task SendAsync_SameIdWithOtherFirstSent_IsRejected()
    {
        var client = AcsTestSupport.Sms(standIn);
        var id = Guid.NewGuid();
        await client.SendAsync(From, new SmsRecipient("+14155550123", id, AcsTestSupport.CreatedAt), "hello");

        var second = await client.SendAsync(From, new SmsRecipient("+14155550123", id, AcsTestSupport.CreatedAt.AddMinutes(1)), "hello");

        Assert.False(second.Value.Successful);
        Assert.Equal("rejected", second.Value.RepeatabilityResult);
        Assert.Single(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SendAsync_BearerCredential_AsksForTheAcsScope()
    {
        await using var https = await AcsStandIn.StartAsync(https: true);
        https.BearerToken = RecordingCredential.Token;
        var credential = new RecordingCredential();
        var options = AcsTestSupport.Fast(new SmsClientOptions());
        options.Transport = AcsTestSupport.TrustingTransport(https);
        var client = new SmsClient(https.Endpoint, credential, options);

        var response = await client.SendAsync(From, "+14155550123", "hello");

        Assert.True(response.Value.Successful);
        Assert.Equal(["https://communication.azure.com//.default"], credential.Scopes.Distinct());
        Assert.Equal("Bearer test-token", Assert.Single(https.SmsRequests).Header("Authorization"));
    }

    [Fact]
    public void Constructor_ConnectionStringWithoutKey_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new SmsClient("endpoint=https://x.communication.azure.com/"));

        Assert.Contains("accesskey", error.Message, StringComparison.Ordinal);
    }

    private static string RecipientField(AcsStandInRequest request, string name) =>
        request.Json!["smsRecipients"]![0]![name]!.GetValue<string>();
}
