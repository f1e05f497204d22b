using System.Globalization;
using Rebind.Testing;

/// <summary>
/// The idle memory of the local host beside the floor it stands on (issue 17's memory target): an ASP.NET Core host
/// alone, the same with the local host's Durable Task runtime and nothing of the app (<c>bench/Rebind.Floor</c>), and
/// the app. Each runs in a process of its own against the same Azurite, is asked for <c>/api/health/ready</c>, left
/// idle, and its RSS read from <c>/proc</c>; the three are started in turn, run after run, so a drift of the machine
/// touches them alike.
/// </summary>
internal static class MemoryBench
{
    private static readonly string[] Fields = ["VmRSS", "RssAnon", "RssFile", "RssShmem"];

    public static async Task RunAsync(int runs, int settleSeconds, string configuration)
    {
        var floor = FloorDll();
        var app = HostBench.AppDll(configuration);
        (string Name, string Dll, string[] Arguments)[] hosts =
        [
            ("ASP.NET Core alone (Rebind.Floor web)", floor, ["web"]),
            ("+ the Durable Task runtime (Rebind.Floor durable)", floor, ["durable"]),
            ($"the app ({Path.GetRelativePath(HostBench.Root(), app)})", app, []),
        ];
        var kb = hosts.ToDictionary(h => h.Name, _ => Fields.ToDictionary(f => f, _ => new List<long>()));
        for (var run = 0; run < runs; run++)
        {
            foreach (var (name, dll, arguments) in hosts)
            {
                await using var host = await AppProcess.StartAsync(dll, Azurite.ConnectionString, arguments);
                await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
                foreach (var field in Fields)
                {
                    kb[name][field].Add(host.StatusKb(field));
                }
                Console.Error.WriteLine($"  run {run + 1}: {name}: {Mb(kb[name]["VmRSS"][^1])} MB");
            }
        }

        Console.WriteLine($"idle RSS {settleSeconds} s after the first 200 on /api/health/ready, median (min-max) of {runs} runs, MB:");
        Console.WriteLine($"  {"host",-62} {"RSS",-15} {"anonymous",9} {"files",6} {"shared (JIT'd code, stubs)",26}");
        foreach (var (name, _, _) in hosts)
        {
            var rss = kb[name]["VmRSS"];
            var range = $"{Mb(Median(rss))} ({Mb(rss.Min())}-{Mb(rss.Max())})";
            Console.WriteLine($"  {name,-62} {range,-15} " +
                $"{Mb(Median(kb[name]["RssAnon"])),9} {Mb(Median(kb[name]["RssFile"])),6} {Mb(Median(kb[name]["RssShmem"])),26}");
        }
    }

    private static string FloorDll()
    {
        var dll = Environment.GetEnvironmentVariable("REBIND_FLOOR_DLL") is { Length: > 0 } other
            ? Path.GetFullPath(other, HostBench.Root())
            : Path.Combine(HostBench.Root(), "artifacts", "floor", "Rebind.Floor.dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException(
                $"{dll} is missing: dotnet publish bench/Rebind.Floor -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/floor");
    }

    private static long Median(List<long> values) => values.Order().ElementAt(values.Count / 2);

    private static string Mb(long kilobytes) => (kilobytes / 1024.0).ToString("F0", CultureInfo.InvariantCulture);
}
