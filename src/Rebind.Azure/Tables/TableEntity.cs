using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace Rebind.Azure.Tables;

/// <summary>
/// A schemaless entity: a dictionary of property names to values, plus the system properties. Like
/// Azure.Data.Tables' TableEntity, the keys, <c>Timestamp</c> and the ETag (<c>odata.etag</c>) live in the
/// dictionary too. Values read back have the types of their Edm annotations: string, bool, int, long,
/// double, <see cref="DateTimeOffset"/>, <see cref="Guid"/>, byte[].
/// </summary>
public sealed class TableEntity : ITableEntity, IDictionary<string, object?>
{
    internal const string PartitionKeyName = "PartitionKey";
    internal const string RowKeyName = "RowKey";
    internal const string TimestampName = "Timestamp";
    internal const string ETagName = "odata.etag";

    private readonly Dictionary<string, object?> properties;

    /// <summary>Creates an empty entity.</summary>
    public TableEntity() => properties = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Creates an entity with the given keys.</summary>
    public TableEntity(string partitionKey, string rowKey) : this()
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    /// <summary>Creates an entity holding a copy of the given properties.</summary>
    public TableEntity(IDictionary<string, object?> values) =>
        properties = new Dictionary<string, object?>(values ?? throw new ArgumentNullException(nameof(values)), StringComparer.Ordinal);

    /// <inheritdoc />
    public string PartitionKey
    {
        get => GetString(PartitionKeyName)!;
        set => properties[PartitionKeyName] = value;
    }

    /// <inheritdoc />
    public string RowKey
    {
        get => GetString(RowKeyName)!;
        set => properties[RowKeyName] = value;
    }

    /// <inheritdoc />
    public DateTimeOffset? Timestamp
    {
        get => GetDateTimeOffset(TimestampName);
        set => properties[TimestampName] = value;
    }

    /// <inheritdoc />
    public ETag ETag
    {
        get => GetString(ETagName) is { } etag ? new ETag(etag) : default;
        set
        {
            if (value == default)
            {
                properties.Remove(ETagName);
            }
            else
            {
                properties[ETagName] = value.ToString();
            }
        }
    }

    /// <summary>Gets or sets a property; getting a missing one returns <c>null</c>.</summary>
    public object? this[string key]
    {
        get => properties.TryGetValue(key, out var value) ? value : null;
        set => properties[key] = value;
    }

    /// <summary>The property as a string, or <c>null</c> when missing.</summary>
    /// <exception cref="InvalidOperationException">The property holds another type.</exception>
    public string? GetString(string key) => Get<string>(key);

    /// <summary>The property as a bool, or <c>null</c> when missing.</summary>
    public bool? GetBoolean(string key) => GetStruct<bool>(key);

    /// <summary>The property as an Int32, or <c>null</c> when missing.</summary>
    public int? GetInt32(string key) => this[key] switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var other => throw Mismatch(key, typeof(int), other),
    };

    /// <summary>The property as an Int64 (an Int32 widens), or <c>null</c> when missing.</summary>
    public long? GetInt64(string key) => this[key] switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw Mismatch(key, typeof(long), other),
    };

    /// <summary>The property as a double (integers widen), or <c>null</c> when missing.</summary>
    public double? GetDouble(string key) => this[key] switch
    {
        null => null,
        double d => d,
        int i => i,
        long l => l,
        var other => throw Mismatch(key, typeof(double), other),
    };

    /// <summary>The property as a <see cref="DateTimeOffset"/>, or <c>null</c> when missing.</summary>
    public DateTimeOffset? GetDateTimeOffset(string key) => this[key] switch
    {
        null => null,
        DateTimeOffset dto => dto,
        DateTime dt => EdmValue.ToDateTimeOffset(dt),
        var other => throw Mismatch(key, typeof(DateTimeOffset), other),
    };

    /// <summary>The property as a UTC <see cref="DateTime"/>, or <c>null</c> when missing.</summary>
    public DateTime? GetDateTime(string key) => GetDateTimeOffset(key)?.UtcDateTime;

    /// <summary>The property as a <see cref="Guid"/>, or <c>null</c> when missing.</summary>
    public Guid? GetGuid(string key) => GetStruct<Guid>(key);

    /// <summary>The property as bytes, or <c>null</c> when missing.</summary>
    public byte[]? GetBinary(string key) => this[key] switch
    {
        null => null,
        byte[] bytes => bytes,
        BinaryData data => data.ToArray(),
        var other => throw Mismatch(key, typeof(byte[]), other),
    };

    /// <summary>The property as <see cref="BinaryData"/>, or <c>null</c> when missing.</summary>
    public BinaryData? GetBinaryData(string key) => this[key] switch
    {
        null => null,
        byte[] bytes => new BinaryData(bytes),
        BinaryData data => data,
        var other => throw Mismatch(key, typeof(BinaryData), other),
    };

    private T? Get<T>(string key) where T : class => this[key] switch
    {
        null => null,
        T value => value,
        var other => throw Mismatch(key, typeof(T), other),
    };

    private T? GetStruct<T>(string key) where T : struct => this[key] switch
    {
        null => null,
        T value => value,
        var other => throw Mismatch(key, typeof(T), other),
    };

    private static InvalidOperationException Mismatch(string key, Type wanted, object actual) =>
        new($"Property '{key}' holds a {actual.GetType().Name}, not a {wanted.Name}.");

    /// <inheritdoc />
    public ICollection<string> Keys => properties.Keys;

    /// <inheritdoc />
    public ICollection<object?> Values => properties.Values;

    /// <inheritdoc />
    public int Count => properties.Count;

    bool ICollection<KeyValuePair<string, object?>>.IsReadOnly => false;

    /// <inheritdoc />
    public void Add(string key, object? value) => properties.Add(key, value);

    /// <inheritdoc />
    public bool ContainsKey(string key) => properties.ContainsKey(key);

    /// <inheritdoc />
    public bool Remove(string key) => properties.Remove(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => properties.TryGetValue(key, out value);

    /// <inheritdoc />
    public void Clear() => properties.Clear();

    void ICollection<KeyValuePair<string, object?>>.Add(KeyValuePair<string, object?> item) => properties.Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object?>>.Contains(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)properties).Contains(item);

    void ICollection<KeyValuePair<string, object?>>.CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)properties).CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<string, object?>>.Remove(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)properties).Remove(item);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
