using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Azure.Data.Tables;
using Rebind.Azure.Stores;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;
using Rebind.Core.Identity;
using Rebind.Core.Security;
using Rebind.Functions;
using Rebind.Functions.Flows;
using Rebind.Testing;
using Rebind.Testing.Fuzzing;

// Storage requests of the app's own tables per sign-up step (the task hub's are in `flows`), against Azurite
// (REBIND_TEST_STORAGE, or one started here).
//   dotnet run --project bench/Rebind.Bench -- steps [--signups 10]
// The hostile-input run of the tests, at 10,000 requests: counts by status and code, 5xx, non-problem errors.
//   dotnet run --project bench/Rebind.Bench -- fuzz --requests 10000 [--seed N] [--parallel 4] [--samples]
// Time to answer each kind of step while storage is down (refused, then hanging), through a proxy in front of Azurite.
//   dotnet run --project bench/Rebind.Bench -- outage
// Storage requests per minute of the idle local host, counted by a proxy in front of Azurite.
//   dotnet run -c Release --project bench/Rebind.Bench -- idle [--seconds 60] [--warmup 15]
// Process start to the first 200 on /api/health/ready; build the app first.
//   dotnet build -c Release src/Rebind.Functions && dotnet run -c Release --project bench/Rebind.Bench -- start [--runs 5]
// Load: whole flows (sign-up, change_phone, forgot password) from 1, 10 and 50 clients, 30 s each, against the built
// local host in its own process: per step p50, p99 and the ratio to its floor; throughput, app CPU and peak RSS.
//   dotnet build -c Release src/Rebind.Functions && dotnet run -c Release --project bench/Rebind.Bench -- load [--clients 1,10,50] [--seconds 30] [--flows sign_up,change_phone,reset_password]
// --app-cpus 0 starts the app on those CPUs only (taskset); run the bench itself, and so Azurite, on the others:
//   taskset -c 1 dotnet run -c Release --project bench/Rebind.Bench -- load --app-cpus 0
// Idle RSS of the app beside its floor: an ASP.NET Core host alone, and with the local host's Durable Task runtime but
// nothing of the app (bench/Rebind.Floor, published as the package is), each in a process of its own, in turn.
//   ./package.sh && dotnet publish bench/Rebind.Floor -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/floor && \
//     REBIND_APP_DLL=artifacts/functionapp/Rebind.Functions.dll dotnet run -c Release --project bench/Rebind.Bench -- memory [--runs 3] [--settle 20]
// Flows on Durable: storage requests of a whole sign-up (backend included), step latency at 1, 10 and 50 concurrent flows.
// Then change_phones one at a time with a pause before each step, as a person makes them (the polling backed off).
// Durable__PartitionCount and Durable__MaxQueuePollingInterval in the environment set the backend's settings.
//   dotnet run -c Release --project bench/Rebind.Bench -- flows [--rounds 2] [--counted 5] [--levels 1,10,50] [--quiet 5] [--pause-seconds 10]
if (args.Length > 0 && args[0] == "flows")
{
    var levels = (OptionText("--levels") ?? "1,10,50").Split(',').Select(int.Parse).ToArray();
    await FlowBench.RunAsync(levels, Option("--rounds", 2), Option("--counted", 5), Option("--quiet", 5), TimeSpan.FromSeconds(Option("--pause-seconds", 10)));
    return 0;
}
if (args.Length > 0 && args[0] == "load")
{
#if DEBUG
    const string configuration = "Debug";
#else
    const string configuration = "Release";
#endif
    var levels = (OptionText("--clients") ?? "1,10,50").Split(',').Select(int.Parse).ToArray();
    var kinds = (OptionText("--flows") ?? "sign_up,change_phone,reset_password").Split(',');
    await LoadBench.RunAsync(levels, Option("--seconds", 30), configuration, kinds, OptionText("--app-cpus"));
    return 0;
}
if (args.Length > 0 && args[0] == "memory")
{
#if DEBUG
    await MemoryBench.RunAsync(Option("--runs", 3), Option("--settle", 20), "Debug");
#else
    await MemoryBench.RunAsync(Option("--runs", 3), Option("--settle", 20), "Release");
#endif
    return 0;
}
if (args.Length > 0 && args[0] == "idle")
{
    await HostBench.IdleAsync(Option("--seconds", 60), Option("--warmup", 15));
    return 0;
}
if (args.Length > 0 && args[0] == "start")
{
#if DEBUG
    await HostBench.StartAsync(Option("--runs", 5), "Debug", OptionText("--path") ?? "/api/health/ready");
#else
    await HostBench.StartAsync(Option("--runs", 5), "Release", OptionText("--path") ?? "/api/health/ready");
#endif
    return 0;
}
if (args.Length > 0 && args[0] is not ("steps" or "fuzz" or "outage"))
{
    Console.Error.WriteLine("usage: Rebind.Bench [steps] [--signups N] | outage | fuzz [--requests N] [--seed N] [--parallel N] [--samples] | idle [--seconds N] [--warmup N] | start [--runs N] | flows [--rounds N] [--counted N] [--levels 1,10,50] [--quiet N] [--pause-seconds N] | load [--clients 1,10,50] [--seconds N] [--flows ...] [--app-cpus 0] | memory [--runs N] [--settle N]");
    return 2;
}
var fuzz = args.Length > 0 && args[0] == "fuzz";
var outage = args.Length > 0 && args[0] == "outage";
await using var proxy = StorageProxy.StartAll();

var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
var app = RebindApp.Create(["--environment", "Development"], builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["Storage:ConnectionString"] = outage ? proxy.ConnectionString : Azurite.ConnectionString,
        // The bench's flows run on the app's own task hub, named after the prefix.
        ["Storage:TablePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
        ["Cleanup:IntervalSeconds"] = "0",
        ["Codes:CurrentKeyId"] = "bench",
        ["Codes:Keys:bench"] = Convert.ToBase64String(new byte[32]),
        // The fuzz keeps the shipped per-IP limit (it spreads its requests over many client IPs) and covers every
        // route, recovery by security questions included.
        [fuzz ? "Recovery:SecurityQuestionsEnabled" : "RateLimits:FlowStartsPerIpPerHour"] = fuzz ? "true" : "1000000",
        // The bench plays the front end: its X-Forwarded-For names the client (and the fuzz feeds that parser garbage).
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    });
    builder.Services.AddSingleton<TimeProvider>(time);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
}, Directory.CreateTempSubdirectory("rebind-bench-").FullName);
await app.StartAsync();
var counter = app.Services.GetRequiredService<RequestCounterPolicy>();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient { BaseAddress = new Uri(address) };
// Development accepts its default attestation token; the bench sends it like the app would.
http.DefaultRequestHeaders.Add(Rebind.Functions.Attestation.AttestationFilter.HeaderName, Rebind.Functions.Attestation.DevelopmentAttestation.DefaultToken);

if (fuzz)
{
    var report = await HostileRun.RunAsync(
        app.Services, http, Option("--seed", HostileRun.SeedFromEnvironment()), Option("--requests", 10_000), Option("--parallel", 4));
    Console.Write(report.Summary(samples: args.Contains("--samples")));
    await app.StopAsync();
    return report.ServerErrors == 0 && report.NonProblemErrors == 0 ? 0 : 1;
}

if (outage)
{
    foreach (var mode in new[] { StorageProxyMode.Refuse, StorageProxyMode.Hang })
    {
        var scenario = await OutageScenario.PrepareAsync(http);
        proxy.Set(mode);
        var results = await scenario.RunAsync(http);
        proxy.Set(StorageProxyMode.Forward);
        Console.WriteLine($"storage {(mode == StorageProxyMode.Refuse ? "refused (process down)" : "hanging (dead network path)")}:");
        foreach (var r in results)
        {
            Console.WriteLine($"  {r.Name,-30} {r.Status} {r.Code,-20} Retry-After {r.RetryAfter,-3} {r.Took.TotalMilliseconds,6:F0} ms");
        }
        var recovered = System.Diagnostics.Stopwatch.StartNew();
        var state = await scenario.CompleteFlowAsync(http);
        Console.WriteLine($"  storage back: the interrupted sign-up {state} ({recovered.ElapsedMilliseconds} ms for its code and password steps)");
    }
    await app.StopAsync();
    return 0;
}

// Flow steps over HTTP (tables already exist, so creation is not counted).
// The per-IP limit spreads its count over shards and a shard's first write in an hour adds an expiry row, so one
// sign-up's count varies by one; several show the range.
await SignUpAsync();
var measured = new List<(long Start, long Code, long Password)>();
for (var i = 0; i < Option("--signups", 10); i++)
{
    measured.Add(await SignUpAsync());
}
string Range(Func<(long Start, long Code, long Password), long> step) =>
    measured.Min(step) == measured.Max(step) ? $"{measured.Min(step)}" : $"{measured.Min(step)}–{measured.Max(step)} (median {measured.Select(step).Order().ElementAt(measured.Count / 2)})";
Console.WriteLine($"storage requests per flow step over {measured.Count} sign-ups: start {Range(m => m.Start)}, code {Range(m => m.Code)}, password {Range(m => m.Password)}");

await app.StopAsync();
return 0;

async Task<(long Start, long Code, long Password)> SignUpAsync()
{
    var phone = "+86137" + Random.Shared.Next(10_000_000, 99_999_999);
    counter.Reset();
    var start = await http.PostAsJsonAsync("/api/signup", new { phone });
    var startRequests = counter.Count;
    var flowId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("flowId").GetString();
    var inbox = JsonDocument.Parse(await http.GetStringAsync("/api/dev/inbox?to=" + Uri.EscapeDataString(phone))).RootElement;
    var code = Regex.Match(inbox[0].GetProperty("text").GetString()!, @"\b\d{6}\b").Value;
    counter.Reset();
    (await http.PostAsJsonAsync($"/api/flows/{flowId}/code", new { code })).EnsureSuccessStatusCode();
    var codeRequests = counter.Count;
    counter.Reset();
    (await http.PostAsJsonAsync($"/api/flows/{flowId}/password", new { password = "correct-horse-7battery" })).EnsureSuccessStatusCode();
    var passwordRequests = counter.Count;
    return (startRequests, codeRequests, passwordRequests);
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}

string? OptionText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
