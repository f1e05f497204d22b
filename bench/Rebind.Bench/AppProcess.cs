using System.Diagnostics;
using System.Globalization;
using Rebind.Testing;

/// <summary>
/// The built local host (or the memory bench's floor, which reads the same settings) in a process of its own, with
/// limits that a load from one IP would otherwise hit.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;

    private AppProcess(Process process, HttpClient http)
    {
        this.process = process;
        Http = http;
    }

    public HttpClient Http { get; }

    private static int abandonedStarts;

    /// <summary>The app's output, with the time each line came, when <c>REBIND_LOAD_APP_LOG</c> names a file.</summary>
    private static readonly StreamWriter? AppLog =
        Environment.GetEnvironmentVariable("REBIND_LOAD_APP_LOG") is { Length: > 0 } path ? new StreamWriter(path) { AutoFlush = true } : null;

    /// <summary>How often the backend put an orchestration's start message back since the last call.</summary>
    public static int TakeAbandonedStarts() => Interlocked.Exchange(ref abandonedStarts, 0);

    /// <summary>Starts <paramref name="dll"/> (the app, or another host that takes its settings) and waits until it is ready.</summary>
    /// <param name="cpus">When set, the CPUs the process may run on (a <c>taskset</c> list such as <c>0</c> or <c>0,1</c>).</param>
    public static async Task<AppProcess> StartAsync(string dll, string storage, string[]? arguments = null, string? cpus = null)
    {
        var port = Azurite.FreePort();
        var info = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] launcher = cpus is null ? [] : ["-c", cpus, "dotnet"];
        foreach (var argument in (string[])[.. launcher, dll, .. arguments ?? []])
        {
            info.ArgumentList.Add(argument);
        }
        info.WorkingDirectory = Directory.CreateTempSubdirectory("rebind-load-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Storage__ConnectionString"] = storage,
            ["Storage__TablePrefix"] = "load" + Guid.NewGuid().ToString("N")[..8],
            ["Codes__CurrentKeyId"] = "bench",
            ["Codes__Keys__bench"] = Convert.ToBase64String(new byte[32]),
            // One IP plays every client: the per-IP and per-destination limits would stop a load test, not a user.
            ["RateLimits__FlowStartsPerIpPerHour"] = "100000000",
            ["RateLimits__SmsPerDestinationPerHour"] = "100000000",
            ["RateLimits__SmsPerDestinationPerDay"] = "100000000",
            ["Sms__BudgetPerHour"] = "100000000",
            ["Sms__BudgetPerRegionPerHour"] = "100000000",
            ["SignIn__PerIpPerHour"] = "100000000",
            ["Flows__AnswerWaitMilliseconds"] = "30000",
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line)
            {
                return;
            }
            if (AppLog is not null)
            {
                lock (AppLog)
                {
                    AppLog.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
                }
            }
            if (line.Contains("cleanup ran", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"  app: {line.Trim()}");
            }
            // The backend took a start's message before its instance row was written, and put it back for 2 s or
            // more (README, "Durable's settings").
            if (line.Contains("Abandoning [ExecutionStarted]", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref abandonedStarts);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) { Console.Error.WriteLine($"  app: {line}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add(Rebind.Functions.Attestation.AttestationFilter.HeaderName, Rebind.Functions.Attestation.DevelopmentAttestation.DefaultToken);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/api/health/ready")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || process.HasExited)
            {
                throw new InvalidOperationException("the app did not get ready");
            }
            await Task.Delay(50);
        }
        return new AppProcess(process, http);
    }

    /// <summary>User + system CPU of the app's process so far (from /proc, in clock ticks of 1/100 s).</summary>
    public double CpuSeconds() => CpuSecondsOf(process.Id);

    /// <summary>User + system CPU of a process so far (from /proc, in clock ticks of 1/100 s).</summary>
    public static double CpuSecondsOf(int pid) => CpuSecondsOfStat(File.ReadAllText($"/proc/{pid}/stat"));

    private static double CpuSecondsOfStat(string stat)
    {
        var fields = stat.Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>User + system CPU so far of the process's threads whose name starts with <paramref name="prefix"/>.</summary>
    public double ThreadsCpuSeconds(string prefix) =>
        LinuxThreads.Of(process.Id).Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(t => CpuSecondsOfStat(t.Stat));

    /// <summary>The CPUs this process may run on, as <c>/proc</c> lists them (e.g. <c>0-1</c>).</summary>
    public static string CpusAllowed(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim();

    public double RssMb() => StatusKb("VmRSS") / 1024.0;

    public double PeakRssMb() => StatusKb("VmHWM") / 1024.0;

    /// <summary>Starts the peak (VmHWM) again from the current RSS.</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{process.Id}/clear_refs", "5");

    /// <summary>A field of the process's <c>/proc/&lt;pid&gt;/status</c>, in kB (VmRSS, RssAnon, RssFile, RssShmem, VmHWM).</summary>
    public long StatusKb(string field) =>
        long.Parse(File.ReadAllLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
