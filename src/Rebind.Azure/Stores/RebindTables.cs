using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>
/// The app's tables, named <c>{prefix}{Name}</c>. Each table is created on first use, once per process,
/// so a fresh storage account (or a test's own prefix) needs no set-up step.
/// </summary>
public sealed class RebindTables(TableServiceClient service, string prefix)
{
    public const string Accounts = "Accounts";
    public const string Identifiers = "Identifiers";

    /// <summary>Flow rows and the outbox rows of their notices; partition = flow id.</summary>
    public const string Flows = "Flows";

    /// <summary>Fixed-window rate-limit counters.</summary>
    public const string RateLimits = "RateLimits";

    /// <summary>Remembered answers to requests sent with an Idempotency-Key.</summary>
    public const string Idempotency = "Idempotency";

    /// <summary>The development inbox (messages the local sender "delivered").</summary>
    public const string DevInbox = "DevInbox";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new();

    public string Prefix { get; } = ValidatePrefix(prefix);

    public TableServiceClient Service { get; } = service;

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var lazy = tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed creation (storage briefly down) must not poison the table for the process lifetime.
            tables.TryUpdate(name, new Lazy<Task<TableClient>>(() => CreateAsync(name)), lazy);
        }
        return task.WaitAsync(cancellationToken);
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = Service.GetTableClient(Prefix + name);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }

    private static string ValidatePrefix(string prefix)
    {
        if (string.IsNullOrEmpty(prefix) || !char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit) || prefix.Length > 40)
        {
            throw new ArgumentException("The table prefix must be 1–40 ASCII letters or digits, starting with a letter.", nameof(prefix));
        }
        return prefix;
    }
}
