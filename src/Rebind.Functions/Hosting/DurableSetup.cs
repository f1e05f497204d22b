using System.Text.RegularExpressions;
using DurableTask.AzureStorage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.DurableTask.Client.Grpc;

namespace Rebind.Functions.Hosting;

/// <summary>
/// The local host's Durable Task runtime, as design.md describes it: <see cref="DurableSidecar"/> (the task hub gRPC
/// sidecar over the Azure Storage backend, the one the Functions extension uses) plus a
/// <see cref="DurableTaskWorker"/> and a <see cref="DurableTaskClient"/> reaching it over gRPC. Every flow runs on it,
/// so the local host always has it.
/// </summary>
public static partial class DurableSetup
{
    public static void AddRebindDurable(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Durable").Get<DurableOptions>() ?? new DurableOptions();
        var storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        var settings = Settings(options, storage);

        // The backend logs every idle poll and lease renewal at Information: keep its warnings and errors.
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp =>
        {
            settings.LoggerFactory = sp.GetRequiredService<ILoggerFactory>();
            return new AzureStorageOrchestrationService(settings);
        });
        builder.Services.AddSingleton<DurableSidecar>();
        // A lifecycle service: it starts before and stops after every plain hosted service, so the worker finds the
        // sidecar listening and leaves before it goes (a sidecar stopping under a connected worker waits out the
        // host's shutdown timeout).
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DurableSidecar>());
        builder.Services.AddSingleton<IReadinessProbe, DurableReadinessProbe>();
        builder.Services.AddSingleton<ICleanupTask, Durable.OrchestrationPurgeTask>();

        // Tests and later steps add orchestrators and activities with AddDurableTaskWorker(b => b.AddTasks(...)),
        // which configures this same (default-named) worker.
        builder.Services.AddDurableTaskWorker(b => b.UseGrpc(_ => { }).AddTasks(Durable.DurableTasks.Register));
        builder.Services.AddDurableTaskClient(b => b.UseGrpc(_ => { }));
        builder.Services.AddSingleton<Durable.IFlowOrchestrations>(sp => new Durable.DurableFlowOrchestrations(sp.GetRequiredService<DurableTaskClient>));
        builder.Services.AddOptions<GrpcDurableTaskWorkerOptions>(Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<DurableSidecar>((o, sidecar) => o.Channel = sidecar.Channel);
        builder.Services.AddOptions<GrpcDurableTaskClientOptions>(Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<DurableSidecar>((o, sidecar) => o.Channel = sidecar.Channel);
    }

    /// <summary>The backend's settings; throws, naming the setting to fix, when the storage settings cannot serve it.</summary>
    internal static AzureStorageOrchestrationServiceSettings Settings(DurableOptions options, StorageOptions storage)
    {
        var hub = options.TaskHubName(storage);
        if (!TaskHubName().IsMatch(hub))
        {
            throw new InvalidOperationException(
                "Durable__TaskHub must be 3-45 ASCII letters or digits, starting with a letter (by default it is Storage__TablePrefix + \"hub\").");
        }
        if (options.PartitionCount is < 1 or > 16)
        {
            throw new InvalidOperationException("Durable__PartitionCount must be between 1 and 16.");
        }
        if (options.MaxQueuePollingInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Durable__MaxQueuePollingInterval must be positive, e.g. 00:00:01.");
        }
        var connectionString = ConnectionString(storage);
        return new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connectionString, WithBackendTimeout(new global::Azure.Storage.Blobs.BlobClientOptions())),
                StorageServiceClientProvider.ForQueue(connectionString, WithBackendTimeout(new global::Azure.Storage.Queues.QueueClientOptions())),
                StorageServiceClientProvider.ForTable(connectionString, WithBackendTimeout(new global::Azure.Data.Tables.TableClientOptions()))),
            TaskHubName = hub,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            UseTablePartitionManagement = options.TablePartitionManagement,
            // Blob leases through the backend's legacy manager: its newer one (intent, then ownership leases) tries for
            // ownership every 5 s, fixed, so a fresh app ran no orchestration for ~5 s; the legacy one owns them at once.
            UseLegacyPartitionManagement = !options.TablePartitionManagement,
            ControlQueueVisibilityTimeout = ControlQueueVisibilityTimeout,
        };
    }

    /// <summary>
    /// How long one of the backend's storage calls may wait for an answer: as long as the app's background work's
    /// (<c>StorageBudget.Background</c>), not the SDK's 100 s. After a network hang (storage accepting connections but not
    /// answering), a call the backend made during it held the flows of its partition until it timed out: with 100 s, a
    /// sign-up finished 83 s after storage was back, in each of four runs of the outage test.
    /// </summary>
    internal static readonly TimeSpan BackendNetworkTimeout = global::Rebind.Azure.Stores.StorageBudget.Background.NetworkTimeout;

    /// <summary>
    /// How long a control-queue message the backend took stays invisible (the backend's default: 5 min). A message
    /// taken by a request whose answer was lost in a storage outage comes back only then, and the flow it carries waits
    /// that long: after the outage test's refused storage a sign-up finished ~27 s after storage was back with 30 s, and
    /// once not within 4 minutes with the default. An orchestration's episode takes well under a second here. The
    /// Functions host reads the same value from host.json (<c>controlQueueVisibilityTimeout</c>).
    /// </summary>
    internal static readonly TimeSpan ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30);

    private static T WithBackendTimeout<T>(T options) where T : global::Azure.Core.ClientOptions
    {
        options.Retry.NetworkTimeout = BackendNetworkTimeout;
        return options;
    }

    /// <summary>
    /// The backend needs blobs (leases, large messages), queues (work) and tables (history): a connection string that
    /// names endpoints must name all three (<c>UseDevelopmentStorage=true</c> and account-key strings imply them).
    /// </summary>
    internal static string ConnectionString(StorageOptions storage)
    {
        var connectionString = storage.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Durable needs Storage__ConnectionString (UseDevelopmentStorage=true, or a string with BlobEndpoint, QueueEndpoint and TableEndpoint).");
        }
        var keys = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] endpoints = ["BlobEndpoint", "QueueEndpoint", "TableEndpoint"];
        var missing = endpoints.Where(e => !keys.Contains(e)).ToList();
        if (missing.Count is > 0 and < 3)
        {
            throw new InvalidOperationException(
                $"Durable needs blob, queue and table storage: Storage__ConnectionString names some endpoints but not {string.Join(" or ", missing)}.");
        }
        return connectionString;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubName();
}
