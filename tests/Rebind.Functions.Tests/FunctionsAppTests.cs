using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Functions.Worker;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

/// <summary>
/// The Functions isolated-worker app against the local host. The Functions host cannot run here, so the tests check
/// what it would read (the <c>functions.metadata</c> the worker SDK's build writes) and run the worker's own request
/// pipeline (<see cref="RebindPipeline"/> over the worker's services), handed requests as the ASP.NET Core integration
/// hands them: same routes, same answers.
/// </summary>
public sealed class FunctionsAppTests
{
    [Fact]
    public async Task FunctionsMetadata_HasAnHttpFunctionForEveryLocalRoute_AndTheCleanupTimer()
    {
        var metadata = FunctionsMetadata();
        await using var app = await TestApp.StartAsync();

        var local = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (
                Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                Route: Normalize(e.RoutePattern.RawText!),
                Methods: string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => m.ToUpperInvariant()).Order())))
            .OrderBy(r => r.Route).ThenBy(r => r.Methods).ToList();
        var functions = metadata
            .Where(f => f.Bindings.Any(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .Select(f =>
            {
                var trigger = f.Bindings.Single(b => b.GetProperty("type").GetString() == "httpTrigger");
                return (
                    Name: (string?)f.Name,
                    // The support console is /support on the local host and /api/support under the host's route prefix
                    // (RebindPipeline serves the latter as the former, with /api as the path base).
                    Route: Normalize(Regex.Replace("/api/" + trigger.GetProperty("route").GetString(), "^/api/support(?=/|$)", "/support")),
                    Methods: string.Join(",", trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order()));
            })
            .OrderBy(r => r.Route).ThenBy(r => r.Methods).ToList();

        Assert.True(local.Count >= 35, $"only {local.Count} local routes");
        Assert.Equal(local, functions);
        Assert.All(local, r => Assert.False(string.IsNullOrEmpty(r.Name)));

        var cleanup = Assert.Single(metadata, f => f.Name == CleanupFunction.Name);
        Assert.Equal(
            ["durableClient", "timerTrigger"],
            cleanup.Bindings.Select(b => b.GetProperty("type").GetString()!).Order());
        Assert.All(metadata, f => Assert.Equal("Rebind.Functions.dll", f.ScriptFile));
    }

    [Fact]
    public void FunctionsMetadata_HasATriggerForEveryOrchestratorAndActivityTheLocalHostRegisters()
    {
        var metadata = FunctionsMetadata();
        List<string> Triggered(string type) =>
            metadata.Where(f => f.Bindings.Any(b => b.GetProperty("type").GetString() == type)).Select(f => f.Name).Order().ToList();

        Assert.Equal(Rebind.Functions.Durable.DurableTasks.Activities.Keys.Order(), Triggered("activityTrigger"));
        Assert.Equal(Rebind.Functions.Durable.DurableTasks.Orchestrators.Keys.Order(), Triggered("orchestrationTrigger"));
        Assert.NotEmpty(Triggered("activityTrigger"));
    }

    [Fact]
    public async Task WorkerPipeline_AnswersAsTheLocalHost()
    {
        await using var local = await TestApp.StartAsync();
        await using var worker = await WorkerServer.StartAsync(local.TablePrefix, local.Services.GetRequiredService<DurableTaskClient>());

        (HttpMethod Method, string Path, string? Body)[] requests =
        [
            (HttpMethod.Get, "/api/health", null),
            (HttpMethod.Get, "/api/health/ready", null),
            (HttpMethod.Get, "/api/nothing-here", null),
            (HttpMethod.Get, "/api/me", null),
            (HttpMethod.Post, "/api/auth/sign-in", "{}"),
            (HttpMethod.Post, "/api/auth/sign-in", "{\"identifier\":"),
            (HttpMethod.Post, "/api/signup", "{\"phone\":\"12\"}"),
            (HttpMethod.Get, "/api/flows/not-a-flow", null),
            (HttpMethod.Post, "/api/recovery/no-access", "{}"),
        ];
        foreach (var (method, path, body) in requests)
        {
            var expected = await SendAsync(local.Client, method, path, body);
            var actual = await SendAsync(worker.Client, method, path, body);
            Assert.True(expected == actual, $"{method} {path}: local {expected}, worker {actual}");
        }

        var localDocument = await local.Client.GetStringAsync("/api/openapi.json");
        var workerDocument = await worker.Client.GetStringAsync("/api/openapi.json");
        Assert.Equal(
            JsonDocument.Parse(localDocument).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(),
            JsonDocument.Parse(workerDocument).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task WorkerPipeline_RunsAWholeSignUp_OnTheWorkersServices()
    {
        // The Functions host would run the orchestrations and bind its Durable client to each call; here a local host on
        // the same storage and task hub plays that part.
        await using var host = await TestApp.StartAsync();
        await using var worker = await WorkerServer.StartAsync(host.TablePrefix, host.Services.GetRequiredService<DurableTaskClient>());
        var flows = new FlowClient(worker.Client);
        var phone = FlowClient.NewPhone();

        var flowId = await flows.StartedSignUpAsync(phone);
        var confirmed = await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));
        Assert.Equal("awaiting_password", confirmed.GetProperty("state").GetString());
        var done = await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword));

        Assert.Equal("completed", done.GetProperty("state").GetString());
        var signIn = await worker.Client.PostAsJsonAsync("/api/auth/sign-in", new { identifier = phone, password = FlowClient.StrongPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("no-store", signIn.Headers.CacheControl?.ToString());
    }

    /// <summary>
    /// The built app started as the Functions host starts a worker: it takes the worker path (services built and
    /// checked) and opens its gRPC stream to the host's address (HTTP/2 over the socket the test listens on).
    /// </summary>
    [Fact]
    public async Task Process_StartedWithTheHostsArguments_ConnectsToTheHostOverGrpc()
    {
        using var host = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        host.Start();
        var port = ((IPEndPoint)host.LocalEndpoint).Port;
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Rebind.Functions.dll"),
                "--functions-uri", $"http://127.0.0.1:{port}/",
                "--functions-worker-id", Guid.NewGuid().ToString(),
                "--functions-request-id", Guid.NewGuid().ToString(),
                "--functions-grpc-max-message-length", "2147483647",
            },
            WorkingDirectory = Directory.CreateTempSubdirectory("rebind-worker-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        info.Environment["Storage__ConnectionString"] = Azurite.ConnectionString;
        info.Environment["Storage__TablePrefix"] = "w" + Guid.NewGuid().ToString("N")[..10];
        info.Environment["Codes__CurrentKeyId"] = "test";
        info.Environment["Codes__Keys__test"] = TestApp.TestCodeKey;
        using var process = System.Diagnostics.Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var accepted = await host.AcceptTcpClientAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            var preface = new byte[24];
            var read = 0;
            var stream = accepted.GetStream();
            while (read < preface.Length && await stream.ReadAsync(preface.AsMemory(read)) is > 0 and var n)
            {
                read += n;
            }

            Assert.Equal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", System.Text.Encoding.ASCII.GetString(preface, 0, read));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public void IsStartedByHost_OnlyWithTheHostsArguments()
    {
        Assert.False(FunctionsWorker.IsStartedByHost([]));
        Assert.False(FunctionsWorker.IsStartedByHost(["--environment", "Development"]));
        Assert.True(FunctionsWorker.IsStartedByHost(["--functions-uri", "http://127.0.0.1:5000/", "--functions-worker-id", "1"]));
        Assert.True(FunctionsWorker.IsStartedByHost(["--host", "127.0.0.1", "--port", "5000", "--workerId", "1"]));
    }

    /// <summary>Status, content type and problem code: what a client acts on.</summary>
    private static async Task<string> SendAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TestApp.AttestationHeader, TestApp.AttestationToken);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonDocument.Parse(text).RootElement.GetProperty("code").GetString()
            : null;
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {code} {response.Headers.CacheControl}";
    }

    private static string Normalize(string route) => "/" + route.Trim('/');

    private sealed record Function(string Name, string ScriptFile, List<JsonElement> Bindings);

    /// <summary>The metadata the worker SDK wrote for the Functions project (copied next to the tests by the reference).</summary>
    private static List<Function> FunctionsMetadata()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Functions project's build writes it");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray()
            .Select(f => new Function(
                f.GetProperty("name").GetString()!,
                f.GetProperty("scriptFile").GetString()!,
                f.GetProperty("bindings").EnumerateArray().Select(b => b.Clone()).ToList()))
            .ToList();
    }

    /// <summary>
    /// The worker's host (built as the Functions host would start it, not started: there is no host to connect to)
    /// behind a loopback server that hands each request to its <see cref="RebindPipeline"/> with the worker's request
    /// services, as the ASP.NET Core integration does.
    /// </summary>
    private sealed class WorkerServer : IAsyncDisposable
    {
        private readonly IHost worker;
        private readonly WebApplication server;

        private WorkerServer(IHost worker, WebApplication server)
        {
            this.worker = worker;
            this.server = server;
            var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Client = new HttpClient { BaseAddress = new Uri(address) };
            Client.DefaultRequestHeaders.Add(TestApp.AttestationHeader, TestApp.AttestationToken);
        }

        public HttpClient Client { get; }

        public static async Task<WorkerServer> StartAsync(string tablePrefix, DurableTaskClient durable)
        {
            var worker = FunctionsWorker.Build([], builder =>
            {
                // In Azure the worker takes it from AZURE_FUNCTIONS_ENVIRONMENT; this process's variables are not the test's to set.
                builder.Environment.EnvironmentName = Environments.Development;
                builder.Configuration.AddInMemoryCollection(TestApp.DevelopmentSettings(tablePrefix));
                builder.Configuration["Flows:AnswerWaitMilliseconds"] = "10000";
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
            var pipeline = worker.Services.GetRequiredService<RebindPipeline>();
            var scopes = worker.Services.GetRequiredService<IServiceScopeFactory>();

            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var server = builder.Build();
            server.Run(async context =>
            {
                await using var scope = scopes.CreateAsyncScope();
                context.RequestServices = scope.ServiceProvider;
                await pipeline.InvokeAsync(context.Request, durable);
            });
            await server.StartAsync();
            return new WorkerServer(worker, server);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await server.DisposeAsync();
            worker.Dispose();
        }
    }
}
