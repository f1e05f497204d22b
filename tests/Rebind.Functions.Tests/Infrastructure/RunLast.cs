using Rebind.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Rebind.Functions.Tests.Infrastructure.RunLastOrderer", "Rebind.Functions.Tests")]

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>
/// Tests that must see every other test's effects (<see cref="ObservedResponses"/>). xunit 2 runs the collections
/// that disable parallelization after all parallel ones have finished; <see cref="RunLastOrderer"/> puts this one
/// after any other such collection too, and last when the assembly runs without parallelization.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunLast
{
    public const string Name = "Run last";
}

/// <summary>xunit's default collection order, with <see cref="RunLast"/> moved to the end.</summary>
public sealed class RunLastOrderer : ITestCollectionOrderer
{
    private readonly DefaultTestCollectionOrderer defaultOrder = new();

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        defaultOrder.OrderTestCollections(testCollections).OrderBy(c => c.DisplayName == RunLast.Name ? 1 : 0);
}
