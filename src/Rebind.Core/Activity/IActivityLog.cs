namespace Rebind.Core.Activity;

/// <summary>
/// The account's sign-in and security history; kept for a retention period, shown to the user and read by
/// support as evidence. Other features record their security changes here.
/// </summary>
public interface IActivityLog
{
    Task RecordAsync(string accountId, ActivityEvent activity, CancellationToken cancellationToken = default);

    /// <summary>Newest first; <paramref name="cursor"/> from a previous page, or null for the first.</summary>
    /// <remarks>A <paramref name="cursor"/> that fails <see cref="IsCursor"/> is read as "from the start": check it first.</remarks>
    Task<ActivityPage> ListAsync(string accountId, int limit, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="cursor"/> has the shape of a <see cref="ActivityPage.NextCursor"/> this log hands out.</summary>
    bool IsCursor(string cursor);
}
