using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Rebind.Functions.Tests;

/// <summary>
/// Seeded hostile input over every route and method the app maps (read from its endpoint data source), plus
/// methods they do not serve: no 5xx, and every error problem+json with a code. The seed is printed; set
/// REBIND_FUZZ_SEED (and REBIND_FUZZ_REQUESTS) to replay or widen a run.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryRoute_SeededHostileRequests_No5xxAndEveryErrorProblemJson()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(new Dictionary<string, string?> { ["Recovery:SecurityQuestionsEnabled"] = "true" }));
        var seed = HostileRun.SeedFromEnvironment();
        var count = HostileRun.RequestsFromEnvironment(2000);
        output.WriteLine($"seed {seed} ({HostileRun.SeedVariable}), {count} requests ({HostileRun.RequestsVariable})");

        var report = await HostileRun.RunAsync(app.Services, app.Client, seed, count);

        var summary = report.Summary();
        output.WriteLine(summary);
        Assert.Equal(count, report.Total);
        Assert.True(report.Routes.Count >= 30, $"only {report.Routes.Count} routes found\n{summary}");
        Assert.Contains(report.Routes, r => r.Template == "/api/flows/{id}/code" && r.Method == "POST");
        foreach (var route in report.Routes)
        {
            Assert.True(report.ByRoute.ContainsKey($"{route.Method} {route.Template}"), $"{route.Method} {route.Template} was not fuzzed\n{summary}");
            if (route.RequiresAuth)
            {
                Assert.True(report.PastAuth.ContainsKey($"{route.Method} {route.Template}"), $"{route.Method} {route.Template} never got past authentication\n{summary}");
            }
        }
        Assert.True(report.ServerErrors == 0, $"seed {seed}: {report.ServerErrors} server errors\n{summary}");
        Assert.True(report.NonProblemErrors == 0, $"seed {seed}: {report.NonProblemErrors} errors not problem+json\n{summary}");
    }
}
