namespace Rebind.Core.Activity;

/// <summary>
/// The account's sign-in and security history; kept for a retention period, shown to the user and read by
/// support as evidence. Other features record their security changes here.
/// </summary>
public interface IActivityLog
{
    Task RecordAsync(string accountId, ActivityEvent activity, CancellationToken cancellationToken = default);

    /// <summary>Newest first; <paramref name="cursor"/> from a previous page, or null for the first.</summary>
    Task<ActivityPage> ListAsync(string accountId, int limit, string? cursor = null, CancellationToken cancellationToken = default);
}
