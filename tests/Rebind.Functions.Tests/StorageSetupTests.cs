using Azure.Data.Tables;
using Rebind.Azure.Stores;
using Rebind.Functions.Hosting;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

/// <summary>The storage settings reach the official Azure.Data.Tables client as the README says.</summary>
public sealed class StorageSetupTests
{
    [Fact]
    public void CreateServiceClient_UseDevelopmentStorage_AzuriteDefaultAccountPathStyle()
    {
        var client = StorageSetup.CreateServiceClient(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }, new RequestCounterPolicy());

        Assert.Equal("devstoreaccount1", client.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), client.Uri);
    }

    [Fact]
    public void CreateServiceClient_RealAccountKey_HostStyleHttpsEndpoint()
    {
        var key = Convert.ToBase64String(new byte[64]);
        var client = StorageSetup.CreateServiceClient(
            new StorageOptions { ConnectionString = $"DefaultEndpointsProtocol=https;AccountName=rebindprod;AccountKey={key};EndpointSuffix=core.windows.net" },
            new RequestCounterPolicy());

        Assert.Equal("rebindprod", client.AccountName);
        Assert.Equal(new Uri("https://rebindprod.table.core.windows.net/"), client.Uri);
    }

    [Fact]
    public async Task CreateServiceClient_ExplicitAzuriteEndpoint_TalksToItAndCountsEveryRequest()
    {
        var counter = new RequestCounterPolicy();
        var client = StorageSetup.CreateServiceClient(new StorageOptions { ConnectionString = Azurite.ConnectionString }, counter);
        var table = Azurite.UniqueTableName();

        await client.CreateTableIfNotExistsAsync(table);
        await client.GetTableClient(table).UpsertEntityAsync(new TableEntity("p", "r") { ["Value"] = 1L });
        var read = await client.GetTableClient(table).GetEntityIfExistsAsync<TableEntity>("p", "r");

        Assert.Equal(1L, read.Value!.GetInt64("Value"));
        Assert.Equal(3, counter.Count);
    }

    [Fact]
    public async Task CreateServiceClient_OnlyEndpoint_SendsBearerTokenFromTheCredentialChain()
    {
        // Managed identity: no key anywhere, so every request must carry a token from DefaultAzureCredential. Here no
        // credential in the chain is available, so the call fails before anything reaches the endpoint.
        var options = new StorageOptions { TableEndpoint = new Uri("https://rebindprod.table.core.windows.net") };
        var counter = new RequestCounterPolicy();
        var client = StorageSetup.CreateServiceClient(options, counter);

        Assert.Equal("rebindprod", client.AccountName);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.GetTableClient("t").GetEntityIfExistsAsync<TableEntity>("p", "r"));
        Assert.Contains("Credential", failure.GetType().Name + failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public void CreateServiceClient_NothingConfigured_SaysWhichSettingToSet()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => StorageSetup.CreateServiceClient(new StorageOptions(), new RequestCounterPolicy()));

        Assert.Contains("Storage__ConnectionString", failure.Message, StringComparison.Ordinal);
    }
}
