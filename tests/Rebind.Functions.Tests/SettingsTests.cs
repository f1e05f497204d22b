using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Rebind.Functions.Hosting;
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
            await using var app = Functions.RebindApp.Create(Development, contentRoot: root);

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

        await using var app = Functions.RebindApp.Create([], Infrastructure.TestApp.Startable(), root);

        Assert.Null(app.Configuration["Storage:TablePrefix"]);
        Assert.Equal("Production", app.Environment.EnvironmentName);
    }

    [Fact]
    public async Task Start_UrlsInLocalSettingsInDevelopment_ListensThere()
    {
        var port = Azurite.FreePort();
        var root = await ContentRootWith(new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Storage__ConnectionString"] = Azurite.ConnectionString,
            ["Cleanup__IntervalSeconds"] = "0",
        });

        await using var app = Functions.RebindApp.Create(Development, contentRoot: root);
        await app.StartAsync();
        try
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            Assert.Contains($"http://127.0.0.1:{port}", addresses);
            Assert.Equal("Development", app.Environment.EnvironmentName);
            using var client = new HttpClient();
            Assert.True((await client.GetAsync($"http://127.0.0.1:{port}/api/health")).IsSuccessStatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Create_OutsideDevelopment_IgnoresLocalSettings()
    {
        var name = "RebindTest" + Guid.NewGuid().ToString("N")[..8];
        var root = await ContentRootWith(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            [$"{name}__FileOnly"] = "from-file",
        });

        await using var app = Functions.RebindApp.Create(["--environment", "Staging"], Infrastructure.TestApp.Startable(), root);

        // The file neither names the environment nor configures anything outside Development.
        Assert.Equal("Staging", app.Environment.EnvironmentName);
        Assert.Null(app.Configuration[$"{name}:FileOnly"]);
    }

    [Fact]
    public void Create_ProductionWithoutAcs_FailsNamingTheSettings()
    {
        var root = Directory.CreateTempSubdirectory("rebind-noacs-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() =>
            Functions.RebindApp.Create([], Infrastructure.TestApp.Startable(("Acs:ConnectionString", null)), root));

        Assert.Contains("Acs__ConnectionString", error.Message);
    }

    [Fact]
    public void Create_ReportUrlFormatWithoutCode_FailsNamingTheSetting()
    {
        var root = Directory.CreateTempSubdirectory("rebind-reporturl-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() =>
            Functions.RebindApp.Create([], Infrastructure.TestApp.Startable(("Recovery:ReportUrlFormat", "https://app.example/not-me")), root));

        Assert.Contains("Recovery__ReportUrlFormat", error.Message);
    }

    [Fact]
    public void Create_ProductionWithThePlaceholderReportUrl_FailsNamingTheSetting()
    {
        var root = Directory.CreateTempSubdirectory("rebind-reporturl-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() =>
            Functions.RebindApp.Create([], Infrastructure.TestApp.Startable(("Recovery:ReportUrlFormat", null)), root));

        Assert.Contains("Recovery__ReportUrlFormat", error.Message);
    }

    [Fact]
    public void Create_ProductionWithTheSampleCodeKey_Fails()
    {
        var sample = LocalSettings.Read(Path.Combine(RepositoryRoot(), "src", "Rebind.Functions", "local.settings.sample.json"));
        var keyId = sample["Codes:CurrentKeyId"]!;
        var root = Directory.CreateTempSubdirectory("rebind-samplekey-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() => Functions.RebindApp.Create([], Infrastructure.TestApp.Startable(
            ("Codes:CurrentKeyId", keyId), ($"Codes:Keys:{keyId}", sample[$"Codes:Keys:{keyId}"])), root));

        Assert.Contains($"Codes__Keys__{keyId}", error.Message);
    }

    [Fact]
    public async Task Create_DevelopmentWithTheSampleCodeKey_Starts()
    {
        var sample = LocalSettings.Read(Path.Combine(RepositoryRoot(), "src", "Rebind.Functions", "local.settings.sample.json"));
        var keyId = sample["Codes:CurrentKeyId"]!;
        var root = Directory.CreateTempSubdirectory("rebind-samplekey-").FullName;

        await using var app = Functions.RebindApp.Create(Development, Infrastructure.TestApp.Startable(
            ("Codes:CurrentKeyId", keyId), ($"Codes:Keys:{keyId}", sample[$"Codes:Keys:{keyId}"]), ("Acs:ConnectionString", null)), root);

        Assert.Equal(keyId, app.Services.GetRequiredService<Rebind.Core.Security.CodeKeyRing>().CurrentKeyId);
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
            ["Storage__ConnectionString"] = Azurite.ConnectionString,
            ["Codes__CurrentKeyId"] = "",
        });

        await using var app = Functions.RebindApp.Create(Development, contentRoot: root);

        Assert.Equal("dev-ephemeral", app.Services.GetRequiredService<Rebind.Core.Security.CodeKeyRing>().CurrentKeyId);
    }

    private static readonly string[] Development = ["--environment", "Development"];

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test binaries.");
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
