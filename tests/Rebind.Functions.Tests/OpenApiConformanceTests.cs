using Rebind.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rebind.Functions.Tests;

/// <summary>
/// The OpenAPI document against what the app actually answered in every other test of this assembly
/// (<see cref="ObservedResponses"/>): a generated client must be right about every status, content type, body and
/// problem code the app sends. Runs last (<see cref="RunLast"/>); alone it has nothing to check and fails.
/// </summary>
[Collection(RunLast.Name)]
public sealed class OpenApiConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OpenApi_EveryAnswerTheTestsSaw_IsDeclared()
    {
        // Taken before this test's own app answers anything.
        var observed = ObservedResponses.Snapshot();
        await using var app = await TestApp.StartAsync();
        var conformance = new OpenApiConformance(await app.Client.GetStringAsync("/api/openapi.json"));

        var failures = conformance.Check(observed);

        var operations = observed.Select(o => o.OperationId).Distinct().Count();
        output.WriteLine($"{observed.Count} answers seen on {operations} of {conformance.OperationIds.Count} operations.");
        output.WriteLine("Declared but never seen by a test (for information):");
        foreach (var line in conformance.Unobserved(observed))
        {
            output.WriteLine("  " + line);
        }
        Assert.True(observed.Count > 0, "No answers were recorded: this test checks the other tests' answers, so run the whole assembly.");
        Assert.True(failures.Count == 0, $"{failures.Count} answers disagree with the OpenAPI document:\n" + string.Join("\n", failures));
    }
}
