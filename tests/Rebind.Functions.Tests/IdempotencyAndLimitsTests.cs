using System.Net;
using Rebind.Core.Messaging;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

public sealed class IdempotencyAndLimitsTests
{
    [Fact]
    public async Task StartSignUp_DuplicateWhileFirstInFlight_Returns409ThenReplaysFirstAnswer()
    {
        var sender = new GateSender();
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IMessageSender>(sender));
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var key = Guid.NewGuid().ToString();

        var first = flows.StartSignUpAsync(phone, key);
        await sender.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var duplicate = await flows.StartSignUpAsync(phone, key);
        sender.Release.SetResult();
        var firstResponse = await first;
        var replay = await flows.StartSignUpAsync(phone, key);

        await ProblemAssert.IsProblem(duplicate, HttpStatusCode.Conflict, "idempotency_in_progress");
        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await firstResponse.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, sender.Calls);
    }

    [Fact]
    public async Task StartSignUp_OverPerClientLimit_Returns429RateLimited()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["RateLimits:FlowStartsPerIpPerHour"] = "2" });
        var flows = new FlowClient(app.Client);
        await flows.StartedSignUpAsync(FlowClient.NewPhone());
        await flows.StartedSignUpAsync(FlowClient.NewPhone());

        var response = await flows.StartSignUpAsync(FlowClient.NewPhone());

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("flow_start_ip_hour", problem.GetProperty("rule").GetString());
        Assert.Equal(problem.GetProperty("retryAfterSeconds").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task StartSignUp_FiftyConcurrentFromOneIpHighLimit_NoSpurious429()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(new Dictionary<string, string?> { ["RateLimits:FlowStartsPerIpPerHour"] = "100000000" }));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => StartFromAsync(app, "198.51.100.20", FlowClient.NewPhone())));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(statuses.All(s => s == 201), "statuses: " + string.Join(',', statuses.GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}")));
    }

    [Fact]
    public async Task StartSignUp_ThirtyConcurrentFromOneIpLimitTen_ExactlyTenAdmitted()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(new Dictionary<string, string?> { ["RateLimits:FlowStartsPerIpPerHour"] = "10" }));

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => StartFromAsync(app, "198.51.100.21", FlowClient.NewPhone())));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    private static Task<HttpResponseMessage> StartFromAsync(TestApp app, string ip, string phone)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/signup") { Content = System.Net.Http.Json.JsonContent.Create(new { phone }) };
        request.Headers.Add("X-Forwarded-For", ip);
        return app.Client.SendAsync(request);
    }

    /// <summary>Holds the first send until released, so a request stays in flight.</summary>
    private sealed class GateSender : IMessageSender
    {
        private int calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref calls);

        public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref calls);
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return SendOutcome.Delivered("ok");
        }
    }
}
