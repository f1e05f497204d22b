using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Rebind.Functions.Sms;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>Hourly SMS budgets (all destinations, and per region): refusal once spent, one alert per window.</summary>
public sealed class SmsBudgetTests
{
    private const string Reset = "/api/password/reset";

    [Fact]
    public async Task SignUp_GlobalBudgetSpent_503WithRetryAfterOneAlertNothingSent()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sms:BudgetPerHour"] = "2" }, services: logs.AddTo);
        using var alerts = new AlertListener(app);
        var flows = new FlowClient(app.Client);
        await flows.StartedSignUpAsync(FlowClient.NewPhone());
        await flows.StartedSignUpAsync(FlowClient.NewPhone());

        var refused = new[] { FlowClient.NewPhone(), FlowClient.NewPhone(), FlowClient.NewPhone() };
        foreach (var phone in refused)
        {
            var response = await flows.StartSignUpAsync(phone);
            var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable, "sms_budget_exhausted");
            var seconds = problem.GetProperty("retryAfterSeconds").GetInt32();
            Assert.InRange(seconds, 1, 3600);
            Assert.Equal(TimeSpan.FromSeconds(seconds), response.Headers.RetryAfter?.Delta);
            Assert.Empty(await flows.InboxAsync(phone));
        }

        // Three refusals, one alert: one Error log with the stable event, one measurement tagged with the budget.
        var alert = Assert.Single(logs.Events, e => e.Id.Name == "SmsBudgetExhausted");
        Assert.Equal(LogLevel.Error, alert.Level);
        Assert.Equal(SmsBudget.ExhaustedEvent.Id, alert.Id.Id);
        Assert.Contains("global", alert.Message, StringComparison.Ordinal);
        var measured = Assert.Single(alerts.Measurements);
        Assert.Equal("global", measured["budget"]);
    }

    [Fact]
    public async Task SignUp_RegionBudgetSpent_OtherRegionsStillServedOneAlertForTheRegion()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["Sms:RegionBudgetsPerHour:CN"] = "1", ["Sms:BudgetPerHour"] = "10" }, services: logs.AddTo);
        using var alerts = new AlertListener(app);
        var flows = new FlowClient(app.Client);
        await flows.StartedSignUpAsync(FlowClient.NewPhone());

        await ProblemAssert.IsProblem(await flows.StartSignUpAsync(FlowClient.NewPhone()), HttpStatusCode.ServiceUnavailable, "sms_budget_exhausted");
        await ProblemAssert.IsProblem(await flows.StartSignUpAsync(FlowClient.NewPhone()), HttpStatusCode.ServiceUnavailable, "sms_budget_exhausted");
        // The US has its own budget, and the refused Chinese attempts spent none of the global one.
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await flows.StartSignUpAsync($"+1415555{2670 + i}")).StatusCode);
        }

        var alert = Assert.Single(logs.Events, e => e.Id.Name == "SmsBudgetExhausted");
        Assert.Contains("CN", alert.Message, StringComparison.Ordinal);
        var measured = Assert.Single(alerts.Measurements);
        Assert.Equal("region", measured["budget"]);
        Assert.Equal("CN", measured["region"]);
    }

    [Fact]
    public async Task SignUp_BudgetWindowPassed_AllowedAgainAndAlertsAgainWhenSpentAgain()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sms:BudgetPerHour"] = "1" }, services: logs.AddTo);
        var flows = new FlowClient(app.Client);
        await flows.StartedSignUpAsync(FlowClient.NewPhone());
        var refused = await flows.StartSignUpAsync(FlowClient.NewPhone());
        var wait = (await ProblemAssert.IsProblem(refused, HttpStatusCode.ServiceUnavailable, "sms_budget_exhausted")).GetProperty("retryAfterSeconds").GetInt32();

        app.Time.Advance(TimeSpan.FromSeconds(wait));
        var phone = FlowClient.NewPhone();
        await flows.StartedSignUpAsync(phone);
        await ProblemAssert.IsProblem(await flows.StartSignUpAsync(FlowClient.NewPhone()), HttpStatusCode.ServiceUnavailable, "sms_budget_exhausted");

        Assert.Single(await flows.InboxAsync(phone));
        Assert.Equal(2, logs.Events.Count(e => e.Id.Name == "SmsBudgetExhausted"));
    }

    [Fact]
    public async Task PasswordReset_BudgetSpent_SameAnswerForKnownAndUnknownNumbers()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sms:BudgetPerHour"] = "1" });
        var phone = NewPhone();
        await SeedAsync(app, phone: phone, email: NewEmail());
        await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());

        var known = await SignInPage.StartAsync(app, Reset, phone);
        var unknown = await SignInPage.StartAsync(app, Reset, NewPhone());

        await ProblemAssert.IsProblem(known, HttpStatusCode.ServiceUnavailable, "sms_budget_exhausted");
        await SignInPage.AssertAlikeAsync(known, unknown);
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(phone));
    }

    [Fact]
    public async Task PasswordReset_UnknownNumbers_CountOnTheBudgetLikeKnownOnes()
    {
        // Pretend codes spend the budget too: otherwise a refusal would say that a real code was due.
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sms:BudgetPerHour"] = "2" });
        await SignInPage.StartedAsync(app, Reset, NewPhone());
        await SignInPage.StartedAsync(app, Reset, NewPhone());

        await ProblemAssert.IsProblem(await new FlowClient(app.Client).StartSignUpAsync(FlowClient.NewPhone()), HttpStatusCode.ServiceUnavailable, "sms_budget_exhausted");
    }

    /// <summary>Measurements of <c>rebind.sms.budget_exhausted</c> from this app's meters, with their tags.</summary>
    private sealed class AlertListener : IDisposable
    {
        private readonly MeterListener listener;

        public AlertListener(TestApp app)
        {
            var factory = app.Services.GetRequiredService<IMeterFactory>();
            listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Scope == factory && instrument.Name == SmsBudget.ExhaustedMetric)
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var map = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    map[tag.Key] = tag.Value;
                }
                for (var i = 0; i < value; i++)
                {
                    Measurements.Add(map);
                }
            });
            listener.Start();
        }

        public ConcurrentBag<Dictionary<string, object?>> Measurements { get; } = [];

        public void Dispose() => listener.Dispose();
    }
}
