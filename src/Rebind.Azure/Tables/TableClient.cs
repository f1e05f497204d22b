using Azure;
using Azure.Core;

namespace Rebind.Azure.Tables;

/// <summary>
/// One table: create/delete it, and read, write, query and transact on its entities. A subset of
/// Azure.Data.Tables' TableClient with the same names and signatures. Each operation is one HTTP request
/// (plus retries); a query is one request per page.
/// </summary>
public partial class TableClient
{
    private readonly TableRestClient rest;

    /// <summary>Creates a client for a table from a connection string with an account key (or <c>UseDevelopmentStorage=true</c>).</summary>
    public TableClient(string connectionString, string tableName, TableClientOptions? options = null)
        : this(TableRestClient.FromConnectionString(connectionString, options), tableName)
    {
    }

    /// <summary>Creates a client for a table that authenticates with Entra ID tokens (e.g. <c>new DefaultAzureCredential()</c>).</summary>
    public TableClient(Uri endpoint, string tableName, TokenCredential tokenCredential, TableClientOptions? options = null)
        : this(TableRestClient.WithToken(endpoint, tokenCredential, options), tableName)
    {
    }

    /// <summary>Creates a client for a table that signs requests with the account key.</summary>
    public TableClient(Uri endpoint, string tableName, TableSharedKeyCredential credential, TableClientOptions? options = null)
        : this(TableRestClient.WithSharedKey(endpoint, credential, options), tableName)
    {
    }

    internal TableClient(TableRestClient rest, string tableName)
    {
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        this.rest = rest;
        Name = tableName;
    }

    /// <summary>The table name.</summary>
    public virtual string Name { get; }

    /// <summary>The table's URI.</summary>
    public virtual Uri Uri => new($"{rest.Endpoint}/{Uri.EscapeDataString(Name)}");

    /// <summary>Creates the table. One request.</summary>
    /// <exception cref="RequestFailedException">409 <c>TableAlreadyExists</c>.</exception>
    public virtual async Task<Response<TableItem>> CreateAsync(CancellationToken cancellationToken = default)
    {
        var response = await TableServiceClient.SendCreateAsync(rest, Name, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409)
        {
            throw TableRestClient.Failure(response);
        }
        return Response.FromValue(new TableItem(Name), response);
    }

    /// <summary>Creates the table unless it exists (the 409 response is then returned, not thrown). One request.</summary>
    public virtual async Task<Response<TableItem>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var response = await TableServiceClient.SendCreateAsync(rest, Name, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && TableRestClient.ErrorCode(response) != "TableAlreadyExists")
        {
            throw TableRestClient.Failure(response);
        }
        return Response.FromValue(new TableItem(Name), response);
    }

    /// <summary>Deletes the table. A missing table is not an error (the 404 response is returned). One request.</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        var message = rest.CreateMessage(RequestMethod.Delete, $"Tables('{Uri.EscapeDataString(Name.Replace("'", "''", StringComparison.Ordinal))}')");
        return await rest.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
    }
}
