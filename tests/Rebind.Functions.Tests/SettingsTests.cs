using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

public sealed class SettingsTests
{
    [Fact]
    public async Task Create_EnvironmentAndLocalSettings_EnvironmentWins()
    {
        var name = "RebindTest" + Guid.NewGuid().ToString("N")[..8];
        var root = await ContentRootWith(new Dictionary<string, string>
        {
            [$"{name}__Both"] = "from-file",
            [$"{name}__FileOnly"] = "from-file",
            ["Storage__ConnectionString"] = Azurite.ConnectionString,
        });
        Environment.SetEnvironmentVariable($"{name}__Both", "from-env");
        try
        {
            await using var app = Functions.RebindApp.Create([], contentRoot: root);

            Assert.Equal("from-env", app.Configuration[$"{name}:Both"]);
            Assert.Equal("from-file", app.Configuration[$"{name}:FileOnly"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{name}__Both", null);
        }
    }

    [Fact]
    public async Task Create_NoLocalSettingsFile_UsesEnvironmentOnly()
    {
        var root = Directory.CreateTempSubdirectory("rebind-empty-").FullName;

        await using var app = Functions.RebindApp.Create([], b =>
        {
            b.Configuration["Storage:ConnectionString"] = Azurite.ConnectionString;
            b.Configuration["Codes:CurrentKeyId"] = "test";
            b.Configuration["Codes:Keys:test"] = Infrastructure.TestApp.TestCodeKey;
        }, root);

        Assert.Null(app.Configuration["Storage:TablePrefix"]);
        Assert.Equal("Production", app.Environment.EnvironmentName);
    }

    [Fact]
    public async Task Start_UrlsAndEnvironmentInLocalSettings_ListensThereInThatEnvironment()
    {
        var port = Azurite.FreePort();
        var root = await ContentRootWith(new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Staging",
            ["Storage__ConnectionString"] = Azurite.ConnectionString,
            ["Cleanup__IntervalSeconds"] = "0",
        });

        await using var app = Functions.RebindApp.Create([], contentRoot: root);
        await app.StartAsync();
        try
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            Assert.Contains($"http://127.0.0.1:{port}", addresses);
            Assert.Equal("Staging", app.Environment.EnvironmentName);
            using var client = new HttpClient();
            Assert.True((await client.GetAsync($"http://127.0.0.1:{port}/api/health")).IsSuccessStatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void Create_ProductionWithoutCodeKeys_FailsNamingTheSettings()
    {
        var root = Directory.CreateTempSubdirectory("rebind-nokeys-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() =>
            Functions.RebindApp.Create([], b => b.Configuration["Storage:ConnectionString"] = Azurite.ConnectionString, root));

        Assert.Contains("Codes__CurrentKeyId", error.Message);
    }

    [Fact]
    public async Task Create_DevelopmentWithoutCodeKeys_StartsWithEphemeralKey()
    {
        var root = await ContentRootWith(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Storage__ConnectionString"] = Azurite.ConnectionString,
            ["Codes__CurrentKeyId"] = "",
        });

        await using var app = Functions.RebindApp.Create([], contentRoot: root);

        Assert.Equal("dev-ephemeral", app.Services.GetRequiredService<Rebind.Core.Security.CodeKeyRing>().CurrentKeyId);
    }

    private static async Task<string> ContentRootWith(Dictionary<string, string> values)
    {
        values.TryAdd("Codes__CurrentKeyId", "test");
        values.TryAdd("Codes__Keys__test", Infrastructure.TestApp.TestCodeKey);
        var root = Directory.CreateTempSubdirectory("rebind-settings-").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "local.settings.json"), JsonSerializer.Serialize(new { IsEncrypted = false, Values = values }));
        return root;
    }
}
