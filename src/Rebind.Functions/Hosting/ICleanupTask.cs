namespace Rebind.Functions.Hosting;

/// <summary>
/// One step of the scheduled cleanup. Register with <c>AddSingleton&lt;ICleanupTask, ...&gt;()</c>; steps run in
/// registration order, and each reads only what is due (time-bucketed indexes), never a whole table.
/// </summary>
public interface ICleanupTask
{
    /// <summary>Short snake_case name used in the report and logs, e.g. <c>sessions_expired</c>.</summary>
    string Name { get; }

    /// <returns>How many items the step removed or completed.</returns>
    Task<int> RunAsync(CancellationToken cancellationToken);
}
