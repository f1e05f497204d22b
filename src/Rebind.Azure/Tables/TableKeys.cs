namespace Rebind.Azure.Tables;

/// <summary>Key rules and how keys are written into URLs.</summary>
internal static class TableKeys
{
    // 1 KiB of UTF-16, the service's string encoding: 512 chars (Azurite enforces the same).
    public const int MaxKeyLength = 512;

    /// <summary>Throws <see cref="ArgumentException"/> for a key the service would reject, before any request is made.</summary>
    public static void Validate(string? key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A key may be at most 1 KiB ({MaxKeyLength} UTF-16 characters); this one has {key.Length}.", paramName);
        }
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' or <= '\u001F' or (>= '\u007F' and <= '\u009F'))
            {
                throw new ArgumentException($"A key may not contain '/', '\\', '#', '?' or control characters (found U+{(int)c:X4}).", paramName);
            }
        }
    }

    public static void Validate(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        Validate(entity.PartitionKey, "entity.PartitionKey");
        Validate(entity.RowKey, "entity.RowKey");
    }

    /// <summary><c>{table}(PartitionKey='..',RowKey='..')</c>: quotes doubled (OData), then percent-encoded.</summary>
    public static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"{Uri.EscapeDataString(table)}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
