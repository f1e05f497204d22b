using Azure.Core;
using Rebind.Azure.Tables;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Tables;

/// <summary>Clients against the test Azurite, each with its own request counter.</summary>
internal static class TestTables
{
    public static (TableServiceClient Service, RequestCounterPolicy Counter) Service(string? connectionString = null, TableClientOptions? options = null)
    {
        var counter = new RequestCounterPolicy();
        options ??= new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        return (new TableServiceClient(connectionString ?? Azurite.ConnectionString, options), counter);
    }

    /// <summary>A fresh table; the counter is reset after creating it.</summary>
    public static async Task<(TableClient Table, RequestCounterPolicy Counter)> NewTableAsync()
    {
        var (service, counter) = Service();
        var table = service.GetTableClient(Azurite.UniqueTableName());
        await table.CreateAsync();
        counter.Reset();
        return (table, counter);
    }
}
