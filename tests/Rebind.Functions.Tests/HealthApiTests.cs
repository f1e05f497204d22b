using System.Net;
using System.Net.Http.Json;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

public sealed class HealthApiTests
{
    [Fact]
    public async Task Alive_Always_Returns200()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alive", (await response.Content.ReadFromJsonAsync<HealthStatus>())!.Status);
    }

    [Fact]
    public async Task Start_LoadsNoDataProtectionKeyRing_SignInAndBearerStillWork()
    {
        // AddAuthentication brings data protection; its hosted service would load (or create) a key ring at every start.
        await using var app = await TestApp.StartAsync();

        Assert.DoesNotContain(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            s => s.GetType().FullName == Rebind.Functions.SignIn.SignInSetup.DataProtectionKeyRingLoader);
        var account = await Accounts.SeedAsync(app, phone: Accounts.NewPhone());
        Assert.Equal(HttpStatusCode.OK, (await Accounts.PostSignInAsync(app, account.Phone!)).StatusCode);
        var (token, _) = await AccountFlows.SessionAsync(app, account);
        Assert.Equal(HttpStatusCode.OK, (await Accounts.SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
    }

    [Fact]
    public async Task Ready_AzuriteUp_Returns200()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/api/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", (await response.Content.ReadFromJsonAsync<HealthStatus>())!.Status);
    }

    [Fact]
    public async Task Ready_StorageDown_Returns503Problem()
    {
        // Blob, queue and table behind proxies, refusing once the app (and its task hub) started.
        await using var storage = StorageProxy.StartAll();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = storage.ConnectionString });
        storage.Set(StorageProxyMode.Refuse);

        var response = await app.Client.GetAsync("/api/health/ready");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.DoesNotContain("127.0.0.1", problem.ToString());
    }

    [Fact]
    public async Task OpenApi_Document_DescribesHealthEndpoints()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"openapi\"", body);
        Assert.Contains("/api/health/ready", body);
        Assert.DoesNotContain("/Cleanup", body);
    }

    [Fact]
    public async Task OpenApi_Document_DeclaresBearerOnSignedInEndpointsOnly()
    {
        await using var app = await TestApp.StartAsync();

        var doc = System.Text.Json.JsonDocument.Parse(await app.Client.GetStringAsync("/api/openapi.json")).RootElement;

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var me = doc.GetProperty("paths").GetProperty("/api/me").GetProperty("get");
        Assert.True(me.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        var signUp = doc.GetProperty("paths").GetProperty("/api/signup").GetProperty("post");
        Assert.False(signUp.TryGetProperty("security", out _));
    }

    private sealed record HealthStatus(string Status);
}
