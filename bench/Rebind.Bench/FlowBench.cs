using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rebind.Core.Flows;
using Rebind.Functions;
using Rebind.Functions.Flows;
using Rebind.Functions.Hosting;
using Rebind.Testing;

/// <summary>
/// Flows on Durable, whole: every storage request of a sign-up (the app's and the Durable backend's, counted by
/// <see cref="CountingStorageProxy"/>), and the latency of each step with 1, 10 and 50 flows at once, with the
/// event → next-state wait the app records itself (<see cref="OrchestrationWaitMetrics"/>).
/// </summary>
internal static partial class FlowBench
{
    public static async Task RunAsync(int[] levels, int rounds, int counted, int quietFlows, TimeSpan pause)
    {
        await using var proxy = await CountingStorageProxy.StartAsync(Azurite.ConnectionString);
        var app = RebindApp.Create(["--environment", "Development"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Storage:ConnectionString"] = proxy.ConnectionString,
                ["Storage:TablePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
                ["Cleanup:IntervalSeconds"] = "0",
                ["Codes:CurrentKeyId"] = "bench",
                ["Codes:Keys:bench"] = Convert.ToBase64String(new byte[32]),
                ["RateLimits:FlowStartsPerIpPerHour"] = "1000000",
                ["Sms:BudgetPerRegionPerHour"] = "1000000",
                ["Sms:BudgetPerHour"] = "1000000",
                // The latency of a step is what is measured: a request waits for its orchestration however long it takes.
                ["Flows:AnswerWaitMilliseconds"] = "60000",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }, Directory.CreateTempSubdirectory("rebind-bench-").FullName);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add(Rebind.Functions.Attestation.AttestationFilter.HeaderName, Rebind.Functions.Attestation.DevelopmentAttestation.DefaultToken);
        var durable = app.Services.GetRequiredService<DurableTaskClient>();
        var settings = app.Services.GetRequiredService<DurableOptions>();
        Console.WriteLine($"Durable settings: {settings.PartitionCount} partitions, longest queue poll {settings.MaxQueuePollingInterval.TotalSeconds:0.###} s " +
            "(Durable__PartitionCount, Durable__MaxQueuePollingInterval)");

        var waits = new ConcurrentBag<(string Move, double Ms)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == OrchestrationWaitMetrics.OrchestrationWait)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "move")
                {
                    waits.Add(((string)tag.Value!, value));
                }
            }
        });
        listener.Start();

        // Warm-up: the first flow pays for JIT and the task hub's first work items.
        await SignUpAsync(http, durable, new Dictionary<string, List<double>>());

        // 1. Storage requests of whole flows, one at a time, against the idle host's own requests over as long.
        await ChangePhoneAsync(app.Services, http, durable, new Dictionary<string, List<double>>());
        foreach (var (name, run) in new (string, Func<Task>)[]
        {
            ("sign-up (start, code, password)", () => SignUpAsync(http, durable, new Dictionary<string, List<double>>())),
            ("change_phone (start, old code, new phone, new code + change; account and session seeded)",
                () => ChangePhoneAsync(app.Services, http, durable, new Dictionary<string, List<double>>(), proxy.Reset)),
        })
        {
            var perFlow = new List<IReadOnlyDictionary<string, long>>();
            var idle = new List<IReadOnlyDictionary<string, long>>();
            var durations = new List<double>();
            for (var i = 0; i < counted; i++)
            {
                proxy.Reset();
                var clock = Stopwatch.StartNew();
                await run();
                durations.Add(clock.Elapsed.TotalMilliseconds);
                perFlow.Add(proxy.Counts);
                proxy.Reset();
                await Task.Delay(clock.Elapsed);
                idle.Add(proxy.Counts);
            }
            Console.WriteLine($"storage requests per whole {name}, until its orchestration completed; mean of {counted}, " +
                $"each {durations.Average():F0} ms; idle: the same host doing nothing for as long right after");
            PrintCounts(perFlow, idle);
        }

        // 2. Step latency at each level of concurrency.
        waits.Clear();
        foreach (var level in levels)
        {
            var steps = new Dictionary<string, List<double>>();
            var failures = new List<string>();
            var wall = Stopwatch.StartNew();
            for (var round = 0; round < rounds; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, level).Select(async i =>
                {
                    try
                    {
                        await ((i + round) % 2 == 0
                            ? SignUpAsync(http, durable, steps)
                            : ChangePhoneAsync(app.Services, http, durable, steps));
                    }
                    catch (Exception e)
                    {
                        // Counted, not fatal: under load the answer (e.g. 503 storage_unavailable) is itself the result;
                        // the bench's own seeding straight into the stores has the same 2 s storage budget.
                        lock (failures)
                        {
                            failures.Add(e is StepFailed ? e.Message : $"bench seeding or wait: {e.GetType().Name}");
                        }
                    }
                }));
            }
            Console.WriteLine($"{level} concurrent flows (sign-ups and change_phones, alternating) x {rounds} rounds ({level * rounds} flows, {wall.Elapsed.TotalSeconds:F1} s):");
            PrintLatencies(steps, waits, ("p99", took => Percentile(took, 0.99)));
            Console.WriteLine($"  flows that met an unexpected answer (and stopped there): {failures.Count} of {level * rounds}");
            foreach (var group in failures.GroupBy(f => f).OrderByDescending(g => g.Count()))
            {
                Console.WriteLine($"    {group.Count(),4} x {group.Key}");
            }
        }

        // 3. As people make them: a pause before each step (reading the SMS, typing), so that the backend's queue
        //    polling has backed off to its longest interval when the step's event arrives.
        if (quietFlows > 0)
        {
            var steps = new Dictionary<string, List<double>>();
            for (var i = 0; i < quietFlows; i++)
            {
                await ChangePhoneAsync(app.Services, http, durable, steps, pause: pause);
            }
            Console.WriteLine($"{quietFlows} change_phones one at a time, {pause.TotalSeconds:0.#} s of quiet before each step:");
            PrintLatencies(steps, waits, ("max", took => took.Max()));
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// One change_phone as the mobile app makes it, on an account and session seeded straight into the stores
    /// (<paramref name="seeded"/> runs after that, so a count can leave the seeding out).
    /// </summary>
    private static async Task ChangePhoneAsync(IServiceProvider services, HttpClient http, DurableTaskClient durable, Dictionary<string, List<double>> steps, Action? seeded = null, TimeSpan pause = default)
    {
        var (oldPhone, newPhone) = ("+86136" + Random.Shared.Next(10_000_000, 99_999_999), "+86135" + Random.Shared.Next(10_000_000, 99_999_999));
        var store = services.GetRequiredService<Rebind.Core.Accounts.IAccountStore>();
        var account = new Rebind.Core.Accounts.Account
        {
            Id = Guid.NewGuid().ToString("N"),
            Phone = oldPhone,
            Email = $"b{Guid.NewGuid():N}@example.com",
            PasswordHash = services.GetRequiredService<Rebind.Core.Security.PasswordHasher>().DummyHash,
            SecurityStamp = Rebind.Core.Accounts.Account.NewSecurityStamp(),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await store.CreateAsync(account);
        await store.ClaimAsync(Rebind.Core.Accounts.IdentifierKind.Phone, oldPhone, account.Id);
        await store.ClaimAsync(Rebind.Core.Accounts.IdentifierKind.Email, account.Email, account.Id);
        var session = await services.GetRequiredService<Rebind.Core.Sessions.ISessionService>().CreateAsync(account.Id, account.SecurityStamp, new("bench", null, null));
        seeded?.Invoke();

        HttpRequestMessage Request(HttpMethod method, string path, object? body)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.Token);
            return request;
        }
        async Task<string> CodeTo(string to)
        {
            var inbox = await http.GetFromJsonAsync<JsonElement[]>("/api/dev/inbox?to=" + Uri.EscapeDataString(to));
            return SixDigits().Match(inbox![0].GetProperty("text").GetString()!).Value;
        }

        await Task.Delay(pause);
        var start = await TimedAsync(steps, "POST /api/me/phone/change (code sent)", () => http.SendAsync(Request(HttpMethod.Post, "/api/me/phone/change", null)), HttpStatusCode.Created);
        var flowId = start.GetProperty("flowId").GetString()!;
        var oldCode = await CodeTo(oldPhone);
        await Task.Delay(pause);
        await TimedAsync(steps, "POST code (old phone)", () => http.SendAsync(Request(HttpMethod.Post, $"/api/flows/{flowId}/code", new { code = oldCode })), HttpStatusCode.OK);
        await Task.Delay(pause);
        await TimedAsync(steps, "POST phone (code sent)", () => http.SendAsync(Request(HttpMethod.Post, $"/api/flows/{flowId}/phone", new { phone = newPhone })), HttpStatusCode.OK);
        var newCode = await CodeTo(newPhone);
        await Task.Delay(pause);
        var done = await TimedAsync(steps, "POST code (new phone, change applied)", () => http.SendAsync(Request(HttpMethod.Post, $"/api/flows/{flowId}/code", new { code = newCode })), HttpStatusCode.OK);
        if (done.GetProperty("state").GetString() != "completed")
        {
            throw new InvalidOperationException($"change_phone ended {done}");
        }
        await durable.WaitForInstanceCompletionAsync(FlowIds.InstanceId(flowId));
    }

    /// <summary>One sign-up as the mobile app makes it; each step's time is added under its name.</summary>
    private static async Task SignUpAsync(HttpClient http, DurableTaskClient durable, Dictionary<string, List<double>> steps)
    {
        var phone = "+86137" + Random.Shared.Next(10_000_000, 99_999_999);
        var start = await TimedAsync(steps, "POST /api/signup (code sent)", () => http.PostAsJsonAsync("/api/signup", new { phone }), HttpStatusCode.Created);
        var flowId = start.GetProperty("flowId").GetString()!;
        var inbox = await http.GetFromJsonAsync<JsonElement[]>("/api/dev/inbox?to=" + Uri.EscapeDataString(phone));
        var code = SixDigits().Match(inbox![0].GetProperty("text").GetString()!).Value;
        await TimedAsync(steps, "POST /api/flows/{id}/code", () => http.PostAsJsonAsync($"/api/flows/{flowId}/code", new { code }), HttpStatusCode.OK);
        var done = await TimedAsync(steps, "POST /api/flows/{id}/password", () => http.PostAsJsonAsync($"/api/flows/{flowId}/password", new { password = "bench-Password-42x" }), HttpStatusCode.OK);
        if (done.GetProperty("state").GetString() != "completed")
        {
            throw new InvalidOperationException($"sign-up ended {done}");
        }
        await durable.WaitForInstanceCompletionAsync(FlowIds.InstanceId(flowId));
    }

    private static async Task<JsonElement> TimedAsync(Dictionary<string, List<double>> steps, string name, Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var took = clock.Elapsed.TotalMilliseconds;
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            var code = body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            throw new StepFailed($"{name}: {(int)response.StatusCode} {code}");
        }
        lock (steps)
        {
            (steps.TryGetValue(name, out var list) ? list : steps[name] = []).Add(took);
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static void PrintCounts(List<IReadOnlyDictionary<string, long>> flows, List<IReadOnlyDictionary<string, long>> idle)
    {
        double Mean(List<IReadOnlyDictionary<string, long>> runs, Func<string, bool> which) =>
            runs.Average(r => r.Where(c => which(c.Key)).Sum(c => c.Value));
        foreach (var service in new[] { "table", "queue", "blob" })
        {
            bool Of(string operation) => operation.StartsWith(service, StringComparison.Ordinal);
            Console.WriteLine($"  {service,-6} {Mean(flows, Of),7:F1}   (idle {Mean(idle, Of):F1})");
        }
        Console.WriteLine($"  total  {Mean(flows, _ => true),7:F1}   (idle {Mean(idle, _ => true):F1})");
        foreach (var operation in flows.SelectMany(r => r.Keys).Distinct().Order())
        {
            Console.WriteLine($"    {operation,-32} {flows.Average(r => r.GetValueOrDefault(operation)),6:F1}   (idle {idle.Average(r => r.GetValueOrDefault(operation)):F1})");
        }
    }

    /// <summary>Each step's p50 and <paramref name="high"/>, then the event -> next state waits recorded meanwhile (taken).</summary>
    private static void PrintLatencies(Dictionary<string, List<double>> steps, ConcurrentBag<(string Move, double Ms)> waits, (string Name, Func<List<double>, double> Of) high)
    {
        var moves = waits.ToList();
        waits.Clear();
        foreach (var (step, took) in steps)
        {
            Console.WriteLine($"  {step,-34} p50 {Percentile(took, 0.5),7:F0} ms  {high.Name} {high.Of(took),7:F0} ms  (n={took.Count})");
        }
        foreach (var group in moves.GroupBy(m => m.Move))
        {
            var took = group.Select(m => m.Ms).ToList();
            Console.WriteLine($"  event -> next state: {group.Key,-15} p50 {Percentile(took, 0.5),7:F0} ms  {high.Name} {high.Of(took),7:F0} ms  (n={took.Count})");
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    /// <summary>A step answered other than the flow needs to go on.</summary>
    private sealed class StepFailed(string message) : Exception(message);
}
