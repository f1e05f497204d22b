using System.Diagnostics;
using System.Net;
using Azure.Data.Tables;
using Rebind.Functions.Hosting;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;
using Xunit.Abstractions;

namespace Rebind.Functions.Tests;

/// <summary>
/// Storage taken away mid-flow through <see cref="StorageProxy"/>s in front of the tests' Azurite (its blob, queue and
/// table services at once, so the flows' orchestrations meet the outage too): refused (the process is down) and hanging
/// (a dead network path, where only a timeout ends a call).
/// They time answers against a 3 s bound, so they run alone (not beside CPU-heavy tests such as concurrent
/// sign-ups, whose PBKDF2 starves the thread pool).
/// </summary>
[Collection(StorageOutageCollection.Name)]
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(StorageProxyMode.Refuse)]
    [InlineData(StorageProxyMode.Hang)]
    public async Task FlowSteps_StorageDownMidFlow_Answer503WithRetryAfterWithin3sThenFlowCompletes(StorageProxyMode outage)
    {
        // Arrange
        await using var proxy = StorageProxy.StartAll();
        await using var app = await StartAsync(proxy);
        var scenario = await OutageScenario.PrepareAsync(app.Client);

        // Act
        proxy.Set(outage);
        var results = await scenario.RunAsync(app.Client);
        proxy.Set(StorageProxyMode.Forward);

        // Assert: every step answered 503 storage_unavailable with Retry-After, in time.
        foreach (var r in results)
        {
            output.WriteLine($"{outage,-7} {r.Name,-30} {r.Status} {r.Code} Retry-After: {r.RetryAfter} in {r.Took.TotalMilliseconds:F0} ms");
        }
        Assert.All(results, r =>
        {
            Assert.True(r.Status == 503 && r.Code == "storage_unavailable", $"{r.Name}: {r.Status} {r.Code}");
            Assert.Equal("5", r.RetryAfter);
            Assert.True(r.Took < AnswerWithin, $"{r.Name} took {r.Took.TotalMilliseconds:F0} ms");
        });

        // Assert: storage back, no restart: the waiting flow takes the same code and completes, and the account
        // signs in. Its orchestration may need a while after the outage (a queue message whose answer was lost comes
        // back after the backend's 30 s visibility timeout): the password's 202 is followed to the end, within 60 s.
        var back = Stopwatch.StartNew();
        Assert.Equal("completed", await scenario.CompleteFlowAsync(app.Client, TimeSpan.FromSeconds(60)));
        output.WriteLine($"{outage,-7} storage back to the flow completed: {back.ElapsedMilliseconds} ms");
        var signIn = await Accounts.PostSignInAsync(app, scenario.Phone, OutageScenario.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task Ready_StorageHangs_Answers503WithinItsTimeout()
    {
        var logs = new CapturingLoggerProvider();
        await using var proxy = StorageProxy.StartAll();
        await using var app = await StartAsync(proxy, logs.AddTo);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/health/ready")).StatusCode);

        proxy.Set(StorageProxyMode.Hang);
        var watch = Stopwatch.StartNew();
        var response = await app.Client.GetAsync("/api/health/ready");
        watch.Stop();

        await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.True(watch.Elapsed < AnswerWithin + TimeSpan.FromSeconds(0.5), $"took {watch.ElapsedMilliseconds} ms");
        proxy.Set(StorageProxyMode.Forward);
        var back = await app.Client.GetAsync("/api/health/ready");
        Assert.True(back.StatusCode == HttpStatusCode.OK,
            $"storage back, ready answered {(int)back.StatusCode} {await back.Content.ReadAsStringAsync()}; warnings: "
            + string.Join(" | ", logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task ReadinessProbe_ClientWaitsLongerThanTimeout_GivesUpAtTimeout()
    {
        // A client that would wait 30 s per attempt: only the probe's own token can end the query in time.
        await using var proxy = StorageProxy.Start();
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        var probe = new TableStorageReadinessProbe(new TableServiceClient(proxy.ConnectionString, options), NullLogger());
        proxy.Set(StorageProxyMode.Hang);

        var watch = Stopwatch.StartNew();
        var reason = await probe.CheckAsync();
        watch.Stop();

        Assert.NotNull(reason);
        Assert.True(watch.Elapsed < TableStorageReadinessProbe.Timeout + TimeSpan.FromSeconds(1), $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Request_ClientGoesAwayWhileStorageHangs_NotLoggedAsError()
    {
        var logs = new CapturingLoggerProvider();
        await using var proxy = StorageProxy.StartAll();
        await using var app = await StartAsync(proxy, logs.AddTo);
        var scenario = await OutageScenario.PrepareAsync(app.Client);
        proxy.Set(StorageProxyMode.Hang);

        using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Client.GetAsync($"/api/flows/{scenario.FlowId}", gone.Token));

        // Whatever the request still does (its storage call is cancelled, or times out) ends within the budget.
        await Task.Delay(AnswerWithin);
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Storage unavailable", StringComparison.Ordinal));
    }

    /// <summary>An app whose storage account (blob, queue and table: the flows' orchestrations too) is behind <paramref name="proxy"/>.</summary>
    private static Task<TestApp> StartAsync(StorageAccountProxy proxy, Action<IServiceCollection>? services = null) =>
        TestApp.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = proxy.ConnectionString }, services: services);

    private static ILogger<TableStorageReadinessProbe> NullLogger() =>
        Microsoft.Extensions.Logging.Abstractions.NullLogger<TableStorageReadinessProbe>.Instance;
}

/// <summary>
/// Tests that time answers, or load the CPU enough to starve others' storage calls past their 2 s budget: they run
/// one class at a time, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StorageOutageCollection
{
    public const string Name = "Timed or CPU-heavy (runs alone)";
}
