using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Rebind.Testing;

/// <summary>
/// The storage the tests run against: the Azurite that <c>./test.sh</c> started (<c>REBIND_TEST_STORAGE</c>), or,
/// when a test run is started by hand, one Azurite per test process started here on free loopback ports with
/// in-memory persistence. Blob, queue and table services: Durable Task's backend needs all three.
/// </summary>
public static class Azurite
{
    public const string AccountName = "devstoreaccount1";

    // The well-known, public development key of Azurite.
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<string> connectionString = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly List<Process> processes = [];
    private static readonly Dictionary<string, int> servicePids = [];

    /// <summary>A connection string naming the blob, queue and table endpoints of a running Azurite.</summary>
    public static string ConnectionString => connectionString.Value;

    /// <summary>
    /// The process id of each service (blob, queue, table) when Azurite was started here; empty when
    /// <c>REBIND_TEST_STORAGE</c> names storage started elsewhere. Benchmarks read their CPU from /proc.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ServicePids
    {
        get
        {
            _ = connectionString.Value;
            return servicePids;
        }
    }

    /// <summary>The table endpoint, e.g. <c>http://127.0.0.1:10002/devstoreaccount1</c>.</summary>
    public static Uri TableEndpoint => Endpoint("TableEndpoint");

    /// <summary>An endpoint of the connection string by its key (<c>BlobEndpoint</c>, <c>QueueEndpoint</c>, <c>TableEndpoint</c>).</summary>
    public static Uri Endpoint(string name) =>
        new(ConnectionString.Split(';').First(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..]);

    /// <summary>A connection string for a port where nothing listens (storage "down").</summary>
    public static string UnreachableConnectionString =>
        For(new Uri($"http://127.0.0.1:{FreePort()}/{AccountName}"));

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTableName(string prefix = "t") =>
        prefix + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A connection string naming only a table endpoint (enough for the stores, not for Durable Task).</summary>
    public static string For(Uri tableEndpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={tableEndpoint}";

    /// <summary>A connection string for all three services on these loopback ports.</summary>
    public static string For(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName}";

    public static int FreePort() => FreePorts(1)[0];

    /// <summary>Distinct free ports (each listener stays open until all are known, so none repeats).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>
    /// How to start one of Azurite's services (blob, queue or table) in memory on a loopback port, as
    /// <c>scripts/common.sh</c> does. The queue service goes through <c>scripts/azurite-queue.js</c>, which sweeps its
    /// deleted messages every second instead of every minute (once a minute, under load, the sweep held the service
    /// for 3-10 s; the script says why).
    /// </summary>
    public static ProcessStartInfo ServiceStartInfo(string repositoryRoot, string service, int port)
    {
        var bin = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite-" + service);
        if (!File.Exists(bin))
        {
            throw new InvalidOperationException($"Azurite is not installed at {bin}: run 'npm ci' or ./test.sh.");
        }
        return new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                service == "queue" ? Path.Combine(repositoryRoot, "scripts", "azurite-queue.js") : bin,
                $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(),
                // The storage SDKs Durable Task brings send service versions newer than Azurite knows.
                "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
    }

    private static string Start()
    {
        var fromScript = Environment.GetEnvironmentVariable("REBIND_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(fromScript))
        {
            return fromScript;
        }

        var root = RepositoryRoot();
        var ports = FreePorts(3);
        string[] services = ["blob", "queue", "table"];
        for (var i = 0; i < services.Length; i++)
        {
            // One process per service, as scripts/common.sh starts them: in one process the queue service's garbage
            // collection held the table service's requests for seconds.
            var info = ServiceStartInfo(root, services[i], ports[i]);
            var process = Process.Start(info) ?? throw new InvalidOperationException($"Azurite's {services[i]} service did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            processes.Add(process);
            servicePids[services[i]] = process.Id;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var waiting = new Queue<int>(ports);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, waiting.Peek());
                waiting.Dequeue();
                if (waiting.Count == 0)
                {
                    return For(ports[0], ports[1], ports[2]);
                }
            }
            catch (SocketException)
            {
                if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
                {
                    throw new InvalidOperationException($"Azurite exited with {exited.ExitCode}.");
                }
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {waiting.Peek()} within 30 s.");
    }

    private static void Stop()
    {
        foreach (var process in processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>The folder holding Serverless.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Serverless.sln not found above " + AppContext.BaseDirectory);
    }
}
