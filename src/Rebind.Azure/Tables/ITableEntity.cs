using Azure;

namespace Rebind.Azure.Tables;

/// <summary>The properties every table entity carries (same shape as Azure.Data.Tables' ITableEntity).</summary>
public interface ITableEntity
{
    /// <summary>The partition key: entities with the same key can be changed together in one transaction.</summary>
    string PartitionKey { get; set; }

    /// <summary>The row key: unique within the partition.</summary>
    string RowKey { get; set; }

    /// <summary>When the service last modified the entity; set by the service, never sent.</summary>
    DateTimeOffset? Timestamp { get; set; }

    /// <summary>The entity's opaque version, used for optimistic concurrency; never sent in the body.</summary>
    ETag ETag { get; set; }
}
