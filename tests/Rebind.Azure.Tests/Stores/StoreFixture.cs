using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Stores;

/// <summary>Stores against real Azurite, each test with its own table prefix, counting storage requests.</summary>
public static class StoreFixture
{
    public static RebindTables NewTables(RequestCounterPolicy? counter = null)
    {
        var options = new TableClientOptions();
        if (counter is not null)
        {
            options.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerRetry);
        }
        var service = new TableServiceClient(Azurite.ConnectionString, options);
        return new RebindTables(service, "s" + Guid.NewGuid().ToString("N")[..12]);
    }
}
