using System.Runtime.Serialization;
using Azure;
using Rebind.Azure.Tables;

namespace Rebind.Azure.Tests.Tables;

public enum Color
{
    Red,
    Green,
    Blue,
}

/// <summary>A typed entity with a property of every supported type.</summary>
public sealed class AllTypesEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? Text { get; set; }
    public int Int32 { get; set; }
    public long Int64 { get; set; }
    public double Double { get; set; }
    public bool Flag { get; set; }
    public DateTimeOffset When { get; set; }
    public DateTime WhenUtc { get; set; }
    public Guid Id { get; set; }
    public byte[]? Bytes { get; set; }
    public BinaryData? Data { get; set; }
    public Color Color { get; set; }
    public int? MaybeInt { get; set; }
    public long? MaybeLong { get; set; }
    public Guid? MaybeGuid { get; set; }

    [IgnoreDataMember]
    public string? NotStored { get; set; }

    public string Computed => "never stored: read-only";
}

public sealed class CounterEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public int Value { get; set; }
    public string? Winner { get; set; }
}
