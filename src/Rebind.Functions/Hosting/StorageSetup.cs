using Azure.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rebind.Azure.Stores;
using Rebind.Core.Accounts;
using Rebind.Core.Security;
using Azure.Data.Tables;

namespace Rebind.Functions.Hosting;

public static class StorageSetup
{
    public static void AddRebindStorage(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), io);
        builder.Services.AddSingleton(options);
        // Counts storage round trips (tests and the benchmark read it); one increment per request.
        var counter = new RequestCounterPolicy();
        builder.Services.AddSingleton(counter);
        builder.Services.AddSingleton(_ => CreateServiceClient(options, counter));
        builder.Services.AddSingleton<IReadinessProbe, TableStorageReadinessProbe>();

        // The stores every feature shares. TryAdd for the account store: tests register stand-ins (a store that
        // crashes mid-change) before this runs.
        builder.Services.AddSingleton(sp => new RebindTables(sp.GetRequiredService<TableServiceClient>(), options.TablePrefix));
        builder.Services.TryAddSingleton<IAccountStore, TableAccountStore>();
        builder.Services.AddSingleton<TableRateLimiter>();
        builder.Services.AddSingleton<IRateLimiter>(sp => new Telemetry.MeteredRateLimiter(
            sp.GetRequiredService<TableRateLimiter>(), sp.GetRequiredService<Telemetry.FlowMetrics>()));
    }

    /// <summary>
    /// Worker threads the pool starts without its slow ramp-up. Password checks (PBKDF2, hundreds of ms of CPU) run
    /// synchronously on request threads; in a burst of sign-ins they take every pool thread, the storage answers'
    /// continuations wait behind them and the 2 s storage budget runs out on storage that answered in time (seen:
    /// 20 concurrent sign-up steps answering 503 on a loaded 2-core machine). With this floor they pass.
    /// </summary>
    public const int MinWorkerThreads = 64;

    /// <summary>Fails at start-up, with the setting to fix, rather than on the first request.</summary>
    public static void ValidateRebindStorage(this IServiceProvider services) => services.GetRequiredService<TableServiceClient>();

    /// <summary>
    /// The official client from the settings: a connection string (<c>UseDevelopmentStorage=true</c>, explicit
    /// Azurite endpoints or a real account's key) signs with the key; only an endpoint means managed identity
    /// through <see cref="DefaultAzureCredential"/> (locally: the developer's Azure CLI sign-in).
    /// </summary>
    internal static TableServiceClient CreateServiceClient(StorageOptions options, RequestCounterPolicy counter)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerRetry);
        // Requests fail fast (503 within 3 s rather than a hung mobile client); the cleanup, inside
        // StorageBudget.BackgroundScope, retries longer on the same client.
        StorageBudgetRetryPolicy.Configure(clientOptions, StorageBudget.Request, StorageBudget.Background);

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new TableServiceClient(options.ConnectionString, clientOptions);
        }
        if (options.TableEndpoint is not null)
        {
            return new TableServiceClient(options.TableEndpoint, new DefaultAzureCredential(), clientOptions);
        }
        throw new InvalidOperationException("Set Storage__ConnectionString or Storage__TableEndpoint.");
    }
}
