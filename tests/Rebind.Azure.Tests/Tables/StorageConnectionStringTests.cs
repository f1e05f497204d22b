using Rebind.Azure.Tables;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Tables;

public class StorageConnectionStringTests
{
    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("usedevelopmentstorage=TRUE;")]
    public void Parse_UseDevelopmentStorage_ExpandsToAzuriteAccount(string connectionString)
    {
        var parsed = StorageConnectionString.Parse(connectionString);

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(Azurite.AccountKey, parsed.AccountKey);
    }

    [Fact]
    public void Parse_AccountNameKeyAndSuffix_BuildsHostStyleEndpoint()
    {
        var parsed = StorageConnectionString.Parse(
            "DefaultEndpointsProtocol=https;AccountName=rebindprod;AccountKey=a2V5PT0=;EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://rebindprod.table.core.chinacloudapi.cn"), parsed.TableEndpoint);
        Assert.Equal("rebindprod", parsed.AccountName);
        Assert.Equal("a2V5PT0=", parsed.AccountKey);
    }

    [Fact]
    public void Parse_NoProtocolNoSuffix_DefaultsToHttpsAndCoreWindowsNet()
    {
        var parsed = StorageConnectionString.Parse("AccountName=acct;AccountKey=a2V5");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), parsed.TableEndpoint);
    }

    [Fact]
    public void Parse_ExplicitPathStyleTableEndpoint_UsesItAndTrimsSlash()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:5555/devstoreaccount1/;");

        Assert.Equal("http://127.0.0.1:5555/devstoreaccount1", parsed.TableEndpoint.AbsoluteUri);
        Assert.Equal(Azurite.AccountKey, parsed.AccountKey);
    }

    [Theory]
    [InlineData("TableEndpoint=https://acct.table.core.windows.net", "acct")]
    [InlineData("TableEndpoint=http://127.0.0.1:10002/devstoreaccount1", "devstoreaccount1")]
    public void Parse_EndpointOnly_NoKeyAndAccountFromEndpoint(string connectionString, string account)
    {
        var parsed = StorageConnectionString.Parse(connectionString);

        Assert.Null(parsed.AccountKey);
        Assert.Equal(account, parsed.AccountName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(";;")]
    [InlineData("AccountKey=a2V5")]
    [InlineData("garbage")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=a;AccountKey=a2V5")]
    [InlineData("TableEndpoint=not a uri;AccountKey=a2V5")]
    [InlineData("AccountName=a;SharedAccessSignature=sv=2020")]
    public void Parse_Malformed_ThrowsFormatException(string connectionString)
    {
        Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));
    }

    [Fact]
    public void Parse_MalformedWithKey_DoesNotEchoKey()
    {
        var ex = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=a;SECRETSECRETSECRETSECRET"));

        Assert.DoesNotContain("SECRETSECRETSECRETSECRET", ex.Message);
    }

    [Fact]
    public void TableServiceClient_ConnectionStringWithoutKey_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new TableServiceClient("TableEndpoint=https://acct.table.core.windows.net"));
    }

    [Fact]
    public void CreateServiceClient_EndpointOnly_UsesTokenCredential()
    {
        var client = TableStorage.CreateServiceClient("https://acct.table.core.windows.net/", tokenCredential: new global::Azure.Identity.DefaultAzureCredential());

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), client.Uri);
    }

    [Fact]
    public async Task CreateServiceClient_AzuriteConnectionString_WorksAgainstAzurite()
    {
        var client = TableStorage.CreateServiceClient(Azurite.ConnectionString);

        var response = await client.CreateTableAsync(Azurite.UniqueTableName());

        Assert.Equal(204, response.GetRawResponse().Status);
    }
}
