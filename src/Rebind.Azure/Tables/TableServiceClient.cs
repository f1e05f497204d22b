using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace Rebind.Azure.Tables;

/// <summary>
/// The table service of a storage account: create, delete and list tables, and hand out
/// <see cref="TableClient"/>s that share this client's pipeline. A subset of Azure.Data.Tables'
/// TableServiceClient with the same names and signatures.
/// </summary>
public class TableServiceClient
{
    private readonly TableRestClient rest;

    /// <summary>Creates a client from a connection string with an account key (or <c>UseDevelopmentStorage=true</c>).</summary>
    public TableServiceClient(string connectionString)
        : this(connectionString, new TableClientOptions())
    {
    }

    /// <summary>Creates a client from a connection string with an account key (or <c>UseDevelopmentStorage=true</c>).</summary>
    public TableServiceClient(string connectionString, TableClientOptions options)
        : this(TableRestClient.FromConnectionString(connectionString, options))
    {
    }

    /// <summary>Creates a client that authenticates with Entra ID tokens (e.g. <c>new DefaultAzureCredential()</c>;
    /// the identity needs the Storage Table Data Contributor role).</summary>
    public TableServiceClient(Uri endpoint, TokenCredential tokenCredential, TableClientOptions? options = null)
        : this(TableRestClient.WithToken(endpoint, tokenCredential, options))
    {
    }

    /// <summary>Creates a client that signs requests with the account key.</summary>
    public TableServiceClient(Uri endpoint, TableSharedKeyCredential credential, TableClientOptions? options = null)
        : this(TableRestClient.WithSharedKey(endpoint, credential, options))
    {
    }

    private TableServiceClient(TableRestClient rest) => this.rest = rest;

    /// <summary>The table service endpoint.</summary>
    public Uri Uri => rest.Endpoint;

    /// <summary>A client for one table, sharing this client's pipeline (and so its auth and options).</summary>
    public virtual TableClient GetTableClient(string tableName) => new(rest, tableName);

    /// <summary>Creates a table. One request.</summary>
    /// <exception cref="RequestFailedException">409 <c>TableAlreadyExists</c> when it exists.</exception>
    public virtual async Task<Response<TableItem>> CreateTableAsync(string tableName, CancellationToken cancellationToken = default)
    {
        var response = await SendCreateAsync(tableName, cancellationToken).ConfigureAwait(false);
        if (response.Status != 204 && response.Status != 201)
        {
            throw TableRestClient.Failure(response);
        }
        return Response.FromValue(new TableItem(tableName), response);
    }

    /// <summary>Creates a table unless it exists; a 409 <c>TableAlreadyExists</c> response is returned, not thrown. One request.</summary>
    public virtual async Task<Response<TableItem>> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default)
    {
        var response = await SendCreateAsync(tableName, cancellationToken).ConfigureAwait(false);
        if (response.Status is 201 or 204 ||
            (response.Status == 409 && TableRestClient.ErrorCode(response) == "TableAlreadyExists"))
        {
            return Response.FromValue(new TableItem(tableName), response);
        }
        throw TableRestClient.Failure(response);
    }

    /// <summary>Deletes a table and everything in it. A missing table is not an error (the 404 response is returned). One request.</summary>
    public virtual async Task<Response> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        var message = rest.CreateMessage(RequestMethod.Delete, $"Tables('{Uri.EscapeDataString(tableName.Replace("'", "''", StringComparison.Ordinal))}')");
        return await rest.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
    }

    /// <summary>Lists tables, optionally filtered (e.g. <c>TableName eq 'x'</c>); one request per page.
    /// <paramref name="maxPerPage"/> bounds the page size (1 makes a cheap readiness probe).</summary>
    public virtual AsyncPageable<TableItem> QueryAsync(string? filter = null, int? maxPerPage = null, CancellationToken cancellationToken = default) =>
        new FuncAsyncPageable<TableItem>((token, pageSize, ct) => QueryPageAsync(filter, token, pageSize, ct), maxPerPage, cancellationToken);

    private async Task<Page<TableItem>> QueryPageAsync(string? filter, string? nextTableName, int? pageSize, CancellationToken cancellationToken)
    {
        var query = TableRestClient.Query(
            ("$filter", string.IsNullOrEmpty(filter) ? null : filter),
            ("$top", pageSize?.ToString(CultureInfo.InvariantCulture)),
            ("NextTableName", nextTableName));
        var message = rest.CreateMessage(RequestMethod.Get, "Tables", query);
        var response = await rest.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var items = new List<TableItem>();
        using (var doc = TableRestClient.ReadJson(response))
        {
            foreach (var table in doc.RootElement.GetProperty("value").EnumerateArray())
            {
                items.Add(new TableItem(table.GetProperty("TableName").GetString()!));
            }
        }
        response.Headers.TryGetValue(TableHeaders.NextTableName, out var next);
        return Page<TableItem>.FromValues(items, string.IsNullOrEmpty(next) ? null : next, response);
    }

    internal static Task<Response> SendCreateAsync(TableRestClient rest, string tableName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        var message = rest.CreateMessage(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue(TableHeaders.Prefer, TableHeaders.ReturnNoContent);
        TableRestClient.SetJsonBody(message, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = tableName }));
        return rest.SendAsync(message, cancellationToken, 201, 204, 409);
    }

    private Task<Response> SendCreateAsync(string tableName, CancellationToken cancellationToken) =>
        SendCreateAsync(rest, tableName, cancellationToken);
}
