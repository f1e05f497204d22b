namespace Rebind.Azure.Tables;

internal static class TableHeaders
{
    public const string Date = "x-ms-date";
    public const string Version = "x-ms-version";
    public const string DataServiceVersion = "DataServiceVersion";
    public const string MaxDataServiceVersion = "MaxDataServiceVersion";
    public const string Prefer = "Prefer";
    public const string ReturnNoContent = "return-no-content";
    public const string IfMatch = "If-Match";
    public const string ErrorCode = "x-ms-error-code";
    public const string Accept = "Accept";
    public const string MinimalMetadata = "application/json;odata=minimalmetadata";
    public const string JsonContentType = "application/json";
    public const string NextPartitionKey = "x-ms-continuation-NextPartitionKey";
    public const string NextRowKey = "x-ms-continuation-NextRowKey";
    public const string NextTableName = "x-ms-continuation-NextTableName";
    public const string StorageScope = "https://storage.azure.com/.default";
}
