namespace Rebind.Functions.Hosting;

/// <summary>Can the app reach what it needs to serve requests (Table Storage)?</summary>
public interface IReadinessProbe
{
    /// <returns>null when ready, else a short reason safe to show (no internals).</returns>
    Task<string?> CheckAsync(CancellationToken cancellationToken = default);
}
