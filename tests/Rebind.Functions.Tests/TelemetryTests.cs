using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rebind.Functions.Telemetry;
using Rebind.Functions.Tests.Durable;
using Rebind.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// What the app exports through OpenTelemetry (<c>TelemetrySetup</c>), captured at the exporters' place: every span,
/// metric point and log record of whole flows. A request and the orchestration and activities it starts are one trace;
/// the flows' counters count; and nothing exported holds a phone number, an email address, a code, a password, a
/// token or a flow id. Activity sources and meters are process-wide, so these tests run alone (no other app's spans
/// or counts in the capture).
/// </summary>
[Collection(StorageOutageCollection.Name)]
public sealed class TelemetryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SignUpAndChangePhone_ExportedTelemetry_OneTracePerRequest_CountersCount_NoPersonalDataOrSecret()
    {
        var exported = new Exported();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["RateLimits:FlowStartsPerIpPerHour"] = "3" },
            services: exported.AddTo);
        var flows = new FlowClient(app.Client);

        // A whole sign-up: start, code, password (the orchestration sends the code and creates the account).
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var code = await flows.LatestCodeAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, code));
        await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword));
        var signIn = await PostSignInAsync(app, phone, FlowClient.StrongPassword);
        var token = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        // A whole change_phone with its notices, on an account with an email.
        var (oldPhone, newPhone, email) = (NewPhone(), NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone: oldPhone, email: email);
        var (session, _) = await SessionAsync(app, account);
        var changeId = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/change", session)).GetProperty("flowId").GetString()!;
        var oldCode = await CodeAsync(app, oldPhone);
        await JsonAsync(await PostAsync(app, changeId, "code", session, new { code = oldCode }));
        await JsonAsync(await PostAsync(app, changeId, "phone", session, new { phone = newPhone }));
        var newCode = await CodeAsync(app, newPhone);
        Assert.Equal("completed", (await JsonAsync(await PostAsync(app, changeId, "code", session, new { code = newCode }))).GetProperty("state").GetString());

        // The per-IP start limit (3 an hour here): the fourth start is refused.
        await flows.StartedSignUpAsync(FlowClient.NewPhone());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await flows.StartSignUpAsync(FlowClient.NewPhone())).StatusCode);

        await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(changeId), TimeSpan.FromSeconds(30));
        exported.Flush(app.Services);
        output.WriteLine($"{exported.Spans.Count} spans, {exported.Points.Count} metric points, {exported.Logs.Count} log records");

        // One trace per flow from the request that started it: the start's span, the orchestration it created and
        // every activity of that orchestration, the later ones included (Durable keeps an orchestration in the trace
        // of its creation). A later request's trace holds the event it raised on the orchestration.
        var (signUpInstance, changeInstance) = (DurableApp.FlowInstance(flowId), DurableApp.FlowInstance(changeId));
        var signUpTrace = exported.Spans.Single(s => s.Name == "orchestration:SignUp" && s.Text.Contains(signUpInstance, StringComparison.Ordinal)).TraceId;
        var trace = exported.Spans.Where(s => s.TraceId == signUpTrace).Select(s => s.Name).ToList();
        output.WriteLine("the sign-up's trace: " + string.Join(", ", trace));
        Assert.Contains(trace, s => s.StartsWith("POST /api/signup", StringComparison.Ordinal));
        Assert.Contains("create_orchestration:SignUp", trace);
        Assert.Contains("activity:SendCode", trace);
        Assert.Contains("activity:ApplyEffect", trace);
        Assert.DoesNotContain(trace, s => s.StartsWith("POST /api/flows", StringComparison.Ordinal));
        var changeTrace = exported.Spans.Single(s => s.Name == "orchestration:ChangePhone" && s.Text.Contains(changeInstance, StringComparison.Ordinal)).TraceId;
        Assert.Contains(exported.Spans, s => s.TraceId == changeTrace && s.Name.StartsWith("POST /api/me/phone/change", StringComparison.Ordinal));
        Assert.Equal(2, exported.Spans.Count(s => s.TraceId == changeTrace && s.Name == "activity:SendCode" && s.Kind == ActivityKind.Server));
        // The five later requests (sign-up: code, password; change: old code, new phone, new code): each raised its
        // event on the orchestration inside its own trace.
        var events = exported.Spans.Where(s => s.Name == "orchestration_event:flow-moved"
            && (s.Text.Contains(signUpInstance, StringComparison.Ordinal) || s.Text.Contains(changeInstance, StringComparison.Ordinal))).ToList();
        Assert.Equal(5, events.Count);
        Assert.All(events, e =>
        {
            Assert.NotEqual(signUpTrace, e.TraceId);
            Assert.NotEqual(changeTrace, e.TraceId);
            Assert.Contains(exported.Spans, s => s.TraceId == e.TraceId && s.Kind == ActivityKind.Server && s.Name.StartsWith("POST /api/flows/{id}/", StringComparison.Ordinal));
        });
        Assert.NotEmpty(exported.Logs);

        // The counters.
        Assert.True(exported.Sum(FlowMetrics.FlowsStarted, ("kind", "signup_phone")) >= 2);
        Assert.Equal(1, exported.Sum(FlowMetrics.FlowsStarted, ("kind", "change_phone")));
        Assert.Equal(1, exported.Sum(FlowMetrics.FlowsEnded, ("kind", "signup_phone"), ("state", "completed")));
        Assert.Equal(1, exported.Sum(FlowMetrics.FlowsEnded, ("kind", "change_phone"), ("state", "completed")));
        Assert.True(exported.Sum(FlowMetrics.CodesSent, ("channel", "sms")) >= 4);
        Assert.Equal(1, exported.Sum(FlowMetrics.NoticesSent, ("channel", "sms")));
        Assert.Equal(1, exported.Sum(FlowMetrics.NoticesSent, ("channel", "email")));
        Assert.Equal(1, exported.Sum(FlowMetrics.LimitsHit, ("rule", Core.Flows.FlowPolicy.Default.FlowStartsPerIpPerHour.Name)));

        // Nothing personal or secret anywhere: span names and attributes, metric tags, log records.
        var secrets = new[]
        {
            phone, phone[1..], phone[3..], oldPhone[3..], newPhone[3..], email, code, oldCode, newCode,
            flowId, changeId, token, session, FlowClient.StrongPassword,
        };
        var everything = exported.Text();
        Assert.NotEmpty(everything);
        foreach (var secret in secrets)
        {
            Assert.False(everything.Contains(secret, StringComparison.Ordinal), $"the exported telemetry holds {secret}");
        }
    }

    [Fact]
    public async Task Exporters_AzureMonitorAndOtlpConfigured_AppStartsAndAnswers()
    {
        // Both pointed at a loopback port where nothing listens: their background sends fail, the app does not.
        var nowhere = $"http://127.0.0.1:{Rebind.Testing.Azurite.FreePort()}";
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey={Guid.NewGuid()};IngestionEndpoint={nowhere}/",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = nowhere,
        });

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/health/ready")).StatusCode);
        await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());
    }

    /// <summary>What the exporters got, as text: a processor at the end of each pipeline, and the in-memory metric exporter.</summary>
    private sealed class Exported
    {
        public List<SpanText> Spans { get; } = [];

        public List<MetricSnapshot> Metrics { get; } = [];

        public List<(string Name, Dictionary<string, string> Tags, double Value)> Points { get; } = [];

        public List<string> Logs { get; } = [];

        public void AddTo(IServiceCollection services) =>
            services.AddLogging(l => l.AddFilter("Rebind", LogLevel.Information)).AddOpenTelemetry()
                .WithTracing(t => t.AddProcessor(new SpanCapture(this)))
                .WithMetrics(m => m.AddInMemoryExporter(Metrics))
                .WithLogging(l => l.AddProcessor(new LogCapture(this)));

        public void Flush(IServiceProvider services)
        {
            services.GetRequiredService<TracerProvider>().ForceFlush();
            services.GetRequiredService<MeterProvider>().ForceFlush();
            services.GetRequiredService<LoggerProvider>().ForceFlush();
            lock (Metrics)
            {
                foreach (var metric in Metrics)
                {
                    foreach (var point in metric.MetricPoints)
                    {
                        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var tag in point.Tags)
                        {
                            tags[tag.Key] = tag.Value?.ToString() ?? "";
                        }
                        var value = metric.MetricType switch
                        {
                            MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                            MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
                            MetricType.Histogram => point.GetHistogramSum(),
                            _ => 0,
                        };
                        Points.Add((metric.Name, tags, value));
                    }
                }
            }
        }

        /// <summary>The last exported value of <paramref name="name"/> summed over the points with these tags (sums are cumulative).</summary>
        public double Sum(string name, params (string Key, string Value)[] tags)
        {
            var matching = Points.Where(p => p.Name == name && tags.All(t => p.Tags.GetValueOrDefault(t.Key) == t.Value)).ToList();
            // Each export repeats every point with its running total: take each tag set's largest.
            return matching.GroupBy(p => string.Join(",", p.Tags.OrderBy(t => t.Key).Select(t => t.Key + "=" + t.Value)))
                .Sum(g => g.Max(p => p.Value));
        }

        public string Text()
        {
            var text = new StringBuilder();
            lock (Spans)
            {
                foreach (var span in Spans)
                {
                    text.AppendLine(span.Text);
                }
            }
            foreach (var point in Points)
            {
                text.Append(point.Name).Append(' ').AppendJoin(",", point.Tags.Select(t => t.Key + "=" + t.Value)).AppendLine();
            }
            lock (Logs)
            {
                foreach (var log in Logs)
                {
                    text.AppendLine(log);
                }
            }
            return text.ToString();
        }
    }

    private sealed record SpanText(string TraceId, ActivityKind Kind, string Name, string Status, string Text);

    private sealed class SpanCapture(Exported into) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            var text = new StringBuilder(data.DisplayName).Append(' ').Append(data.OperationName).Append(' ').Append(data.StatusDescription);
            foreach (var tag in data.TagObjects)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
            foreach (var e in data.Events)
            {
                text.Append(" event ").Append(e.Name);
                foreach (var tag in e.Tags)
                {
                    text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
                }
            }
            foreach (var link in data.Links)
            {
                text.Append(" link ").Append(link.Context.TraceId);
            }
            text.Append(" baggage ").AppendJoin(",", data.Baggage.Select(b => b.Key + "=" + b.Value));
            lock (into.Spans)
            {
                into.Spans.Add(new SpanText(data.TraceId.ToString(), data.Kind, data.DisplayName, data.Status.ToString(), text.ToString()));
            }
        }
    }

    private sealed class LogCapture(Exported into) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var text = new StringBuilder(data.CategoryName).Append(' ').Append(data.EventId.Name).Append(' ')
                .Append(data.Body).Append(' ').Append(data.FormattedMessage).Append(' ').Append(data.Exception?.ToString());
            foreach (var attribute in data.Attributes ?? [])
            {
                text.Append(' ').Append(attribute.Key).Append('=').Append(attribute.Value);
            }
            lock (into.Logs)
            {
                into.Logs.Add(text.ToString());
            }
        }
    }
}
