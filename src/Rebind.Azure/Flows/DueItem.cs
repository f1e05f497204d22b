using System.Globalization;
using Rebind.Azure.Stores;

namespace Rebind.Azure.Flows;

/// <summary>What a due index row asks the cleanup to do.</summary>
public static class DueWork
{
    /// <summary>Expire the flow (its deadline).</summary>
    public const string Expire = "expire";

    /// <summary>Re-run the pending domain effect of a flow waiting on one.</summary>
    public const string Resume = "resume";

    /// <summary>(Re)try delivering one outbox message.</summary>
    public const string Outbox = "outbox";

    /// <summary>Delete a finished flow and its outbox after the retention period.</summary>
    public const string Purge = "purge";
}

/// <summary>
/// One row of the <c>Due</c> index: partition = UTC day <c>yyyyMMdd</c> of <paramref name="At"/>, row key =
/// <c>{ticks:D19}|{what}|{flowId}[|{messageKey}]</c>. Rows are hints: the cleanup re-reads the flow and drops a
/// row that no longer applies, so writing one before a commit that then fails is harmless.
/// </summary>
public sealed record DueItem(DateTimeOffset At, string What, string FlowId, Guid? MessageKey = null)
{
    public string PartitionKey => Day(At);

    public string RowKey => $"{StoreKeys.Ticks(At)}|{What}|{FlowId}" + (MessageKey is { } key ? "|" + key.ToString("N") : string.Empty);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DueItem? Parse(string rowKey)
    {
        var parts = rowKey.Split('|');
        if (parts.Length < 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return null;
        }
        Guid? key = parts.Length > 3 && Guid.TryParseExact(parts[3], "N", out var g) ? g : null;
        return new DueItem(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], parts[2], key);
    }
}
