using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Rebind.Core.Security;
using Rebind.Testing;

/// <summary>
/// The load benchmark (issue 17): whole flows — sign-up, change_phone, forgot password — from 1, 10 and 50 concurrent
/// clients for a fixed time each, against the built local host in its own process (so its CPU and memory are its own).
/// Per step it prints p50, p99, the step's floor and the p99's ratio to it, and per level the throughput, the app's CPU
/// and its peak RSS. The floor of a step is its storage requests (counted through <see cref="CountingStorageProxy"/> in
/// a calibration pass of the same run) × Azurite's own p99 for a point read or insert at the same concurrency (measured
/// in the same run, right before the level). The hashing bound is the cores over the PBKDF2 time the mix needs per
/// flow, from one hash timed in the same run.
/// </summary>
internal static partial class LoadBench
{
    private const string Password = "bench-Password-42x";
    private const string NewPassword = "bench-Lantern-77q";

    /// <summary>The app's PBKDF2 threads (<c>PasswordWork</c> names them <c>pbkdf2-0</c>, <c>pbkdf2-1</c>, ...).</summary>
    private const string PasswordThreads = "pbkdf2-";

    /// <summary>PBKDF2 runs per whole flow: the sign-up's new password; the reset's check against the current one and its new hash.</summary>
    private static readonly Dictionary<string, int> HashesPerFlow = new() { ["sign_up"] = 1, ["change_phone"] = 0, ["reset_password"] = 2 };

    /// <param name="appCpus">When set, the CPUs the app runs on (the rest of the machine runs the bench and Azurite).</param>
    public static async Task RunAsync(int[] levels, int seconds, string configuration, string[] kinds, string? appCpus = null)
    {
        var hashSeconds = TimeOneHash();
        var cores = appCpus is null ? Environment.ProcessorCount : CpuCount(appCpus);
        if (appCpus is not null)
        {
            Console.WriteLine($"the app on CPU {appCpus}; the bench and Azurite on CPU {AppProcess.CpusAllowed(Environment.ProcessId)}");
        }
        var hashesPerFlow = kinds.Average(k => HashesPerFlow[k]);
        var bound = hashesPerFlow == 0 ? double.PositiveInfinity : cores / (hashesPerFlow * hashSeconds);
        Console.WriteLine($"one PBKDF2 hash: {hashSeconds * 1000:F0} ms; mix {string.Join('+', kinds)}: {hashesPerFlow:F2} hashes per flow -> hashing bound {bound:F1} flows/s on {cores} cores");

        // 1. Calibration: storage requests per step, one client, storage behind the counting proxy.
        Dictionary<string, double> requestsPerStep;
        await using (var proxy = await CountingStorageProxy.StartAsync(Azurite.ConnectionString))
        {
            await using var app = await AppProcess.StartAsync(HostBench.AppDll(configuration), proxy.ConnectionString, cpus: appCpus);
            var client = await Client.CreateAsync(app.Http, kinds);
            for (var i = 0; i < 2; i++)
            {
                await client.RunFlowAsync(kinds[i % kinds.Length], null);
            }
            var counts = new Dictionary<string, List<long>>();
            for (var i = 0; i < 3 * kinds.Length; i++)
            {
                await client.RunFlowAsync(kinds[i % kinds.Length], null, (step, send) => CountAsync(proxy, counts, step, send));
            }
            requestsPerStep = counts.ToDictionary(c => c.Key, c => c.Value.Average());
        }

        // 2. The levels, on a fresh app talking to Azurite directly.
        await using (var app = await AppProcess.StartAsync(HostBench.AppDll(configuration), Azurite.ConnectionString, cpus: appCpus))
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            Console.WriteLine($"app idle after start: RSS {app.RssMb():F0} MB");
            foreach (var clients in levels)
            {
                var floorMs = await AzuriteP99Async(clients, TimeSpan.FromSeconds(3));
                var flows = 0;
                var failures = new List<string>();
                var participants = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Client.CreateAsync(app.Http, kinds)));
                app.ResetPeakRss();
                var cpuBefore = app.CpuSeconds();
                var hashingBefore = app.ThreadsCpuSeconds(PasswordThreads);
                AppProcess.TakeAbandonedStarts();
                var azuriteBefore = Azurite.ServicePids.ToDictionary(p => p.Key, p => AppProcess.CpuSecondsOf(p.Value));
                var level = new Level();
                var clock = level.Clock;
                Console.Error.WriteLine($"  level of {clients} client(s) started at {DateTime.UtcNow:HH:mm:ss.fff} UTC");
                var until = TimeSpan.FromSeconds(seconds);
                // A long level shows whether memory grows with the flows, and whose CPU a slowdown comes from: every
                // minute the count, RSS, and the app's and Azurite's CPU per flow over that minute.
                using var sampling = new CancellationTokenSource();
                var samples = Task.Run(async () =>
                {
                    var (lastFlows, lastApp, lastAzurite) = (0, cpuBefore, azuriteBefore.Values.Sum());
                    while (!sampling.IsCancellationRequested)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(60), sampling.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                        if (!sampling.IsCancellationRequested)
                        {
                            var (nowFlows, nowApp, nowAzurite) = (Volatile.Read(ref flows), app.CpuSeconds(), Azurite.ServicePids.Values.Sum(AppProcess.CpuSecondsOf));
                            var done = Math.Max(1, nowFlows - lastFlows);
                            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s: {nowFlows,6} flows ({nowFlows - lastFlows} in the last minute), app RSS {app.RssMb():F0} MB, " +
                                $"CPU-ms per flow over the minute: app {(nowApp - lastApp) / done * 1000:F0}, Azurite {(nowAzurite - lastAzurite) / done * 1000:F0}");
                            (lastFlows, lastApp, lastAzurite) = (nowFlows, nowApp, nowAzurite);
                        }
                    }
                });
                await Task.WhenAll(participants.Select(async (client, n) =>
                {
                    for (var i = n; clock.Elapsed < until; i++)
                    {
                        try
                        {
                            await client.RunFlowAsync(kinds[i % kinds.Length], level);
                            Interlocked.Increment(ref flows);
                        }
                        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                        {
                            lock (failures)
                            {
                                failures.Add(e.Message);
                            }
                        }
                    }
                }));
                await sampling.CancelAsync();
                await samples;
                var elapsed = clock.Elapsed.TotalSeconds;
                var cpu = app.CpuSeconds() - cpuBefore;
                var hashing = app.ThreadsCpuSeconds(PasswordThreads) - hashingBefore;
                var azuriteCores = azuriteBefore.ToDictionary(b => b.Key, b => (AppProcess.CpuSecondsOf(Azurite.ServicePids[b.Key]) - b.Value) / elapsed);
                var azurite = string.Join(", ", azuriteCores.Select(c => $"{c.Key} {c.Value * 100:F0} %"));
                var throughput = flows / elapsed;
                Console.WriteLine();
                Console.WriteLine($"{clients} client(s), {elapsed:F0} s: {flows} flows, {throughput:F2} flows/s ({(double.IsInfinity(bound) ? "no hashing" : $"{throughput / bound:P0} of the hashing bound")}), " +
                    $"app CPU {cpu / elapsed * 100:F0} %, app peak RSS {app.PeakRssMb():F0} MB, Azurite p99 point read/insert {floorMs:F1} ms, {failures.Count} failed flows" +
                    (azurite.Length > 0 ? $"; Azurite's CPU: {azurite}" : "") +
                    $"; start messages put back by the backend: {AppProcess.TakeAbandonedStarts()}");
                if (!double.IsInfinity(bound) && throughput > 0 && azuriteCores.Count > 0)
                {
                    // Where the cores went (the hashing: the CPU of the app's PBKDF2 threads), and what that leaves:
                    // Azurite's CPU grows with the flows it serves, so with storage on the app's cores even an app that
                    // did nothing but hash could not pass the ceiling below.
                    var storagePerFlow = azuriteCores.Values.Sum() / throughput;
                    Console.Write($"  the cores: hashing {hashing / elapsed * 100:F0} % ({hashing / flows * 1000:F0} CPU-ms per flow), " +
                        $"the app's other work {(cpu - hashing) / elapsed * 100:F0} % ({(cpu - hashing) / flows * 1000:F0} CPU-ms per flow), " +
                        $"Azurite {azuriteCores.Values.Sum() * 100:F0} % ({storagePerFlow * 1000:F0} CPU-ms per flow)");
                    if (appCpus is null)
                    {
                        var ceiling = cores / ((hashesPerFlow * hashSeconds) + storagePerFlow);
                        Console.WriteLine($"; with storage on these {cores} cores the hashing alone allows at most {ceiling:F2} flows/s " +
                            $"({ceiling / bound:P0} of the hashing bound), of which this level reached {throughput / ceiling:P0}");
                    }
                    else
                    {
                        Console.WriteLine($" on CPU {AppProcess.CpusAllowed(Environment.ProcessId)}, not the app's");
                    }
                }
                List<(double StartedS, double TookMs, string Step)> timeline = [.. level.Steps];
                Console.WriteLine($"  {SlowestSteps(timeline)}");
                if (Environment.GetEnvironmentVariable("REBIND_LOAD_TIMELINE") is { Length: > 0 } timelineFile)
                {
                    // started (s into the level), took (ms), step: one line per step, for a closer look at stalls.
                    await File.WriteAllLinesAsync($"{timelineFile}.{clients}.csv", timeline.Select(t => FormattableString.Invariant($"{t.StartedS:F3},{t.TookMs:F0},{t.Step}")));
                }
                foreach (var failure in failures.GroupBy(f => f).Take(3))
                {
                    Console.WriteLine($"  failure x{failure.Count()}: {failure.Key}");
                }
                Console.WriteLine($"  {"step",-52} {"n",6} {"p50 ms",8} {"p99 ms",8} {"requests",9} {"floor ms",9} {"p99/floor",9}");
                foreach (var group in timeline.GroupBy(t => t.Step).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var (step, times) = (group.Key, group.Select(t => t.TookMs).ToList());
                    var requests = requestsPerStep.GetValueOrDefault(step);
                    var floor = requests * floorMs;
                    var p99 = Percentile(times, 0.99);
                    Console.WriteLine($"  {step,-52} {times.Count,6} {Percentile(times, 0.50),8:F0} {p99,8:F0} {requests,9:F1} {floor,9:F0} {(floor > 0 ? p99 / floor : 0),9:F2}");
                }
            }
        }
    }

    private static async Task<HttpResponseMessage> CountAsync(CountingStorageProxy proxy, Dictionary<string, List<long>> counts, string step, Func<Task<HttpResponseMessage>> send)
    {
        proxy.Reset();
        var response = await send();
        // What the request waited for: the app's tables and the task hub's, the queue messages it sent; not the
        // backend's background polls of idle queues (a GET on a queue that found nothing is not this step's).
        var total = proxy.Counts.Where(c => !c.Key.StartsWith("queue GET", StringComparison.Ordinal) && !c.Key.StartsWith("blob", StringComparison.Ordinal)).Sum(c => c.Value);
        if (!counts.TryGetValue(step, out var list))
        {
            counts[step] = list = [];
        }
        list.Add(total);
        return response;
    }

    /// <summary>Azurite's p99 for a point read or insert with <paramref name="clients"/> at once, from this process.</summary>
    private static async Task<double> AzuriteP99Async(int clients, TimeSpan duration)
    {
        var table = new TableClient(Azurite.ConnectionString, "benchfloor" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async n =>
        {
            var mine = new List<double>();
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var key = $"{n}-{i}";
                var started = Stopwatch.GetTimestamp();
                await table.AddEntityAsync(new TableEntity(key, "r") { ["Value"] = i });
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                await table.GetEntityIfExistsAsync<TableEntity>(key, "r");
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            lock (times)
            {
                times.AddRange(mine);
            }
        }));
        await table.DeleteAsync();
        return Percentile(times, 0.99);
    }

    /// <summary>
    /// One hash's CPU time (the bench's process CPU over 5 hashes, the bench doing nothing else meanwhile): the bound is
    /// about CPU, and wall time counted whatever else the two cores ran, e.g. Azurite starting (a wall-clock median
    /// once gave 182 ms where the app then spent 161 CPU-ms per whole sign-up).
    /// </summary>
    private static double TimeOneHash()
    {
        var hasher = new PasswordHasher();
        hasher.Hash(Password);
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        for (var i = 0; i < 5; i++)
        {
            hasher.Hash(Password);
        }
        self.Refresh();
        return (self.TotalProcessorTime - before).TotalSeconds / 5;
    }

    /// <summary>
    /// Whether the slowest 1 % of a level's steps were slow each on its own or together: the moment when most of them
    /// were in flight at once, and how many. Steps of every kind all in flight at one moment point at a stall of the
    /// whole process or of storage, not at one step's own work.
    /// </summary>
    private static string SlowestSteps(List<(double StartedS, double TookMs, string Step)> timeline)
    {
        if (timeline.Count < 100)
        {
            return "slowest 1 % of steps: too few steps";
        }
        var slowest = timeline.OrderByDescending(t => t.TookMs).Take(timeline.Count / 100).ToList();
        var ends = slowest.Select(t => t.StartedS + (t.TookMs / 1000)).ToList();
        // The most of them in flight at once: at some step's start, count those that started by then and had not ended.
        var (when, most) = slowest
            .Select(t => (At: t.StartedS, Count: slowest.Count(o => o.StartedS <= t.StartedS && o.StartedS + (o.TookMs / 1000) > t.StartedS)))
            .MaxBy(x => x.Count);
        var kinds = slowest.Select(t => t.Step).Distinct().Count();
        return $"slowest 1 % of steps ({slowest.Count}, {slowest.Min(t => t.TookMs):F0}-{slowest.Max(t => t.TookMs):F0} ms, {kinds} kinds of step): " +
            $"started {slowest.Min(t => t.StartedS):F1}-{slowest.Max(t => t.StartedS):F1} s into the level, ended {ends.Min():F1}-{ends.Max():F1} s; " +
            $"{most} of them in flight at once at {when:F1} s";
    }

    /// <summary>
    /// One level's clock and its steps as they succeeded: when each started (seconds since the level's start), how
    /// long it took, its name. The per-step table, the slowest 1 % and the timeline file all read them.
    /// </summary>
    private sealed class Level
    {
        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public System.Collections.Concurrent.ConcurrentQueue<(double StartedS, double TookMs, string Step)> Steps { get; } = new();

        public void Record(string step, double tookMs) => Steps.Enqueue((Clock.Elapsed.TotalSeconds - (tookMs / 1000), tookMs, step));
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    /// <summary>One mobile client: its own accounts for change_phone and reset, and whole flows as the app makes them.</summary>
    private sealed class Client
    {
        private readonly HttpClient http;
        private string changePhone = NewPhone();
        private string token = string.Empty;
        private readonly string resetPhone = NewPhone();
        private string resetPassword = Password;

        private Client(HttpClient http) => this.http = http;

        public static async Task<Client> CreateAsync(HttpClient http, string[] kinds)
        {
            var client = new Client(http);
            if (kinds.Contains("change_phone"))
            {
                await client.SignUpAsync(client.changePhone, null, null);
                client.token = await client.SignInAsync(client.changePhone);
            }
            if (kinds.Contains("reset_password"))
            {
                await client.SignUpAsync(client.resetPhone, null, null);
            }
            return client;
        }

        public Task RunFlowAsync(string kind, Level? level, Func<string, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>>? around = null) => kind switch
        {
            "sign_up" => SignUpAsync(NewPhone(), level, around),
            "change_phone" => ChangePhoneAsync(level, around),
            "reset_password" => ResetAsync(level, around),
            _ => throw new ArgumentException(kind, nameof(kind)),
        };

        private async Task SignUpAsync(string phone, Level? level, Func<string, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>>? around)
        {
            var flowId = (await StepAsync(level, around, "sign_up: POST /api/signup", () => http.PostAsJsonAsync("/api/signup", new { phone }), HttpStatusCode.Created)).GetProperty("flowId").GetString()!;
            var code = await CodeAsync(phone);
            await StepAsync(level, around, "sign_up: POST code", () => http.PostAsJsonAsync($"/api/flows/{flowId}/code", new { code }), HttpStatusCode.OK);
            await CompletedAsync(await StepAsync(level, around, "sign_up: POST password (hashes)", () => http.PostAsJsonAsync($"/api/flows/{flowId}/password", new { password = Password }), HttpStatusCode.OK));
        }

        private async Task ChangePhoneAsync(Level? level, Func<string, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>>? around)
        {
            var newPhone = NewPhone();
            var flowId = (await StepAsync(level, around, "change_phone: POST /api/me/phone/change", () => http.SendAsync(Authorized(HttpMethod.Post, "/api/me/phone/change", null)), HttpStatusCode.Created)).GetProperty("flowId").GetString()!;
            var oldCode = await CodeAsync(changePhone);
            await StepAsync(level, around, "change_phone: POST code (old phone)", () => http.SendAsync(Authorized(HttpMethod.Post, $"/api/flows/{flowId}/code", new { code = oldCode })), HttpStatusCode.OK);
            await StepAsync(level, around, "change_phone: POST phone", () => http.SendAsync(Authorized(HttpMethod.Post, $"/api/flows/{flowId}/phone", new { phone = newPhone })), HttpStatusCode.OK);
            var newCode = await CodeAsync(newPhone);
            await CompletedAsync(await StepAsync(level, around, "change_phone: POST code (new phone, applied)", () => http.SendAsync(Authorized(HttpMethod.Post, $"/api/flows/{flowId}/code", new { code = newCode })), HttpStatusCode.OK));
            changePhone = newPhone;
        }

        private async Task ResetAsync(Level? level, Func<string, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>>? around)
        {
            var flowId = (await StepAsync(level, around, "reset_password: POST /api/password/reset", () => http.PostAsJsonAsync("/api/password/reset", new { identifier = resetPhone }), HttpStatusCode.Created)).GetProperty("flowId").GetString()!;
            var code = await CodeAsync(resetPhone);
            await StepAsync(level, around, "reset_password: POST code", () => http.PostAsJsonAsync($"/api/flows/{flowId}/code", new { code }), HttpStatusCode.OK);
            var next = resetPassword == Password ? NewPassword : Password;
            await CompletedAsync(await StepAsync(level, around, "reset_password: POST password (hashes)", () => http.PostAsJsonAsync($"/api/flows/{flowId}/password", new { password = next }), HttpStatusCode.OK));
            resetPassword = next;
        }

        private async Task<string> SignInAsync(string phone)
        {
            var response = await http.PostAsJsonAsync("/api/auth/sign-in", new { identifier = phone, password = Password, deviceId = Guid.NewGuid().ToString() });
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (response.StatusCode == HttpStatusCode.Created)
            {
                // A new device: the code sent to the phone, then the session.
                var verified = await http.PostAsJsonAsync("/api/auth/sign-in/verify", new { flowId = body.GetProperty("flowId").GetString(), code = await CodeAsync(phone, "device_sign_in_code") });
                body = JsonDocument.Parse(await verified.Content.ReadAsStringAsync()).RootElement.Clone();
            }
            return body.GetProperty("token").GetString() ?? throw new InvalidOperationException($"sign-in: {body}");
        }

        private HttpRequestMessage Authorized(HttpMethod method, string path, object? body)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        private async Task<string> CodeAsync(string to, string? kind = null)
        {
            var inbox = await http.GetFromJsonAsync<JsonElement[]>("/api/dev/inbox?to=" + Uri.EscapeDataString(to));
            var message = inbox!.First(m => kind is null ? m.GetProperty("kind").GetString()!.EndsWith("_code", StringComparison.Ordinal) : m.GetProperty("kind").GetString() == kind);
            return SixDigits().Match(message.GetProperty("text").GetString()!).Value;
        }

        private static async Task CompletedAsync(JsonElement flow)
        {
            if (flow.GetProperty("state").GetString() != "completed")
            {
                throw new InvalidOperationException($"flow ended {flow}");
            }
            await Task.CompletedTask;
        }

        private static async Task<JsonElement> StepAsync(
            Level? level, Func<string, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>>? around,
            string name, Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = around is null ? await send() : await around(name, send);
            var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
            }
            level?.Record(name, took);
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        // Numbers from a random start, one after the other: random ones collided about once in 5,000 flows (the sign-up
        // then met phone_already_bound, a bench artifact counted as a failed flow).
        private static int nextPhone = Random.Shared.Next(10_000_000, 50_000_000);

        private static string NewPhone() => "+86138" + Interlocked.Increment(ref nextPhone).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>How many CPUs a <c>taskset</c> list names (<c>0</c>, <c>0,1</c>, <c>0-3</c>).</summary>
    private static int CpuCount(string list) =>
        list.Split(',').Sum(part => part.Split('-') is [var from, var to] ? int.Parse(to, CultureInfo.InvariantCulture) - int.Parse(from, CultureInfo.InvariantCulture) + 1 : 1);
}
