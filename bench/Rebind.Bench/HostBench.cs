using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rebind.Functions;
using Rebind.Testing;

/// <summary>
/// What the local host costs when nobody uses it, and how long it takes to answer after its process starts. Both run
/// with the Durable runtime every flow runs on, storage behind <see cref="CountingStorageProxy"/> so that every request counts
/// (the Durable backend's queue polls and lease renewals included, which the app's own counter cannot see).
/// </summary>
internal static class HostBench
{
    /// <summary>Storage requests per minute of an idle local host, after a warm-up, by service and operation.</summary>
    public static async Task IdleAsync(int seconds, int warmUpSeconds)
    {
        {
            await using var proxy = await CountingStorageProxy.StartAsync(Azurite.ConnectionString);
            var app = RebindApp.Create(["--environment", "Development"], builder =>
            {
                builder.Configuration.AddInMemoryCollection(Settings(proxy.ConnectionString));
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            }, Directory.CreateTempSubdirectory("rebind-bench-").FullName);
            await app.StartAsync();
            var durable = app.Services.GetRequiredService<Rebind.Functions.Hosting.DurableOptions>();
            await Task.Delay(TimeSpan.FromSeconds(warmUpSeconds));
            proxy.Reset();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var counts = proxy.Counts;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            await app.StopAsync();
            await app.DisposeAsync();

            var perMinute = 60.0 / seconds;
            Console.WriteLine($"Durable settings: {durable.PartitionCount} partitions, longest queue poll {durable.MaxQueuePollingInterval.TotalSeconds:0.###} s");
            Console.WriteLine($"idle local host: {counts.Values.Sum() * perMinute:F0} storage requests/min, " +
                $"{cpuSeconds / seconds:F3} CPU-s/s (bench process, proxy included) over {seconds} s after a {warmUpSeconds} s warm-up");
            foreach (var (operation, count) in counts.OrderByDescending(c => c.Value))
            {
                Console.WriteLine($"  {operation,-28} {count * perMinute,8:F1}/min");
            }
        }
    }

    /// <summary>
    /// From launching the built app's process (<c>dotnet Rebind.Functions.dll</c>, as <c>./run.sh</c> does) to its first
    /// <c>200</c> on <c>/api/health/ready</c>, polled every 10 ms.
    /// </summary>
    public static async Task StartAsync(int runs, string configuration, string path = "/api/health/ready")
    {
        var dll = AppDll(configuration);
        {
            var took = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var port = Azurite.FreePort();
                var info = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                info.WorkingDirectory = Directory.CreateTempSubdirectory("rebind-start-").FullName;
                info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
                info.Environment["Logging__LogLevel__Default"] = "Warning";
                foreach (var (key, value) in Settings(Azurite.ConnectionString))
                {
                    info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
                info.Environment["Urls"] = $"http://127.0.0.1:{port}";
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
                var clock = Stopwatch.StartNew();
                using var process = Process.Start(info)!;
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                try
                {
                    while (clock.Elapsed < TimeSpan.FromSeconds(60))
                    {
                        try
                        {
                            if ((await http.GetAsync(path)).IsSuccessStatusCode)
                            {
                                took.Add(clock.Elapsed.TotalMilliseconds);
                                break;
                            }
                        }
                        catch (HttpRequestException)
                        {
                        }
                        await Task.Delay(10);
                    }
                }
                finally
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            took.Sort();
            Console.WriteLine($"process start -> first 200 ({path}), {Path.GetRelativePath(Root(), dll)}: " +
                $"median {took[took.Count / 2]:F0} ms, min {took[0]:F0}, max {took[^1]:F0} over {took.Count} runs");
        }
    }

    private static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Storage:ConnectionString"] = connectionString,
        ["Storage:TablePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
        ["Cleanup:IntervalSeconds"] = "60",
        ["Codes:CurrentKeyId"] = "bench",
        ["Codes:Keys:bench"] = Convert.ToBase64String(new byte[32]),
        ["Urls"] = "http://127.0.0.1:0",
    };

    /// <summary>
    /// The app to launch: the Release (or Debug) build, or <c>REBIND_APP_DLL</c> (relative to the repository, e.g.
    /// <c>artifacts/functionapp/Rebind.Functions.dll</c>, the ReadyToRun package <c>./package.sh</c> builds).
    /// </summary>
    internal static string AppDll(string configuration)
    {
        var dll = Environment.GetEnvironmentVariable("REBIND_APP_DLL") is { Length: > 0 } other
            ? Path.GetFullPath(other, Root())
            : Path.Combine(Root(), "src", "Rebind.Functions", "bin", configuration, "net10.0", "Rebind.Functions.dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"{dll} is missing: dotnet build src/Rebind.Functions -c {configuration} (or ./package.sh for the package)");
    }

    internal static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository.");
    }
}
