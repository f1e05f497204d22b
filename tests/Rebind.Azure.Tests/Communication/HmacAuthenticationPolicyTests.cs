using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Rebind.Azure.Communication;
using Rebind.Azure.Communication.Sms;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Communication;

public class HmacAuthenticationPolicyTests
{
    // Expected values computed independently with Python's hmac/hashlib (see the commit that added this test):
    // key = b"rebind-known-answer-key-32-bytes", date = Thu, 15 Jan 2026 09:00:00 GMT.
    private const string Key = "cmViaW5kLWtub3duLWFuc3dlci1rZXktMzItYnl0ZXM=";
    private const string Date = "Thu, 15 Jan 2026 09:00:00 GMT";

    [Fact]
    public async Task ProcessAsync_PostWithBody_ProducesKnownSignature()
    {
        var headers = await SignAsync(RequestMethod.Post, "https://rebind-test.communication.azure.com/sms?api-version=2021-03-07", "{\"from\":\"+18005550100\"}");

        Assert.Equal(Date, headers["x-ms-date"]);
        Assert.Equal("EN1xiGcy3aJ6u01YkVafIfj9g0EGoTntV21maHIYiio=", headers["x-ms-content-sha256"]);
        Assert.Equal(
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=o/n0MeUFzbsSWxov/UgJ1zzKaXjaebO5f+QE0gW4OAs=",
            headers["Authorization"]);
    }

    [Fact]
    public async Task ProcessAsync_GetWithoutBodyOnNonDefaultPort_SignsEmptyHashAndPortInHost()
    {
        var headers = await SignAsync(RequestMethod.Get, "https://127.0.0.1:8443/emails/operations/abc?api-version=2023-03-31", body: null);

        Assert.Equal("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", headers["x-ms-content-sha256"]);
        Assert.Equal(
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=fempjpBYWMlnPsbkqJv7Bv4pfDy0HgdEIzryayp3BX0=",
            headers["Authorization"]);
    }

    [Fact]
    public async Task SendAsync_RetriedAfter500_SignsEachAttemptWithItsOwnDate()
    {
        await using var standIn = await AcsStandIn.StartAsync();
        standIn.ScriptSms(AcsStandInReply.ServerError());
        var options = AcsTestSupport.Fast(new SmsClientOptions { TimeProvider = new SteppingClock(DateTimeOffset.UtcNow) });
        var client = new SmsClient(standIn.ConnectionString, options);

        var result = await client.SendAsync("+18005550100", "+14155550123", "hello");

        Assert.True(result.Value.Successful);
        var attempts = standIn.SmsRequests;
        Assert.Equal([500, 202], attempts.Select(a => a.Status));
        Assert.NotEqual(attempts[0].Header("x-ms-date"), attempts[1].Header("x-ms-date"));
        Assert.NotEqual(attempts[0].Header("Authorization"), attempts[1].Header("Authorization"));
    }

    private static async Task<Dictionary<string, string>> SignAsync(RequestMethod method, string uri, string? body)
    {
        var policy = new HmacAuthenticationPolicy(new AzureKeyCredential(Key), new ManualTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero)));
        var pipeline = HttpPipelineBuilder.Build(new SmsClientOptions());
        using var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(uri));
        if (body is not null)
        {
            message.Request.Content = RequestContent.Create(System.Text.Encoding.UTF8.GetBytes(body));
        }

        await policy.ProcessAsync(message, new HttpPipelinePolicy[] { new StopPolicy() });

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in message.Request.Headers)
        {
            headers[header.Name] = header.Value;
        }
        return headers;
    }

    private sealed class StopPolicy : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ValueTask.CompletedTask;
    }
}
