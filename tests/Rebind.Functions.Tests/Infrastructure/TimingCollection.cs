namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>
/// Tests that compare response times (known vs unknown identifiers). They run after the parallel collections, one at
/// a time, so what they measure is the app's two paths, not the other tests competing for two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
