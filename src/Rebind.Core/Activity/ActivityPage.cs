namespace Rebind.Core.Activity;

/// <summary>A page of history, newest first; pass <see cref="NextCursor"/> back for the next page (null at the end).</summary>
public sealed record ActivityPage(IReadOnlyList<ActivityEvent> Items, string? NextCursor);
