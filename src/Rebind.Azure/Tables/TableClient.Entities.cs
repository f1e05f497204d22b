using Azure;
using Azure.Core;

namespace Rebind.Azure.Tables;

public partial class TableClient
{
    /// <summary>Inserts an entity. One request.</summary>
    /// <exception cref="RequestFailedException">409 <c>EntityAlreadyExists</c>.</exception>
    /// <exception cref="ArgumentException">A key is invalid (checked before any request).</exception>
    public virtual async Task<Response> AddEntityAsync<T>(T entity, CancellationToken cancellationToken = default) where T : ITableEntity
    {
        TableKeys.Validate(entity);
        var body = EntityMapper.Serialize(entity);
        var message = rest.CreateMessage(RequestMethod.Post, Uri.EscapeDataString(Name));
        message.Request.Headers.SetValue(TableHeaders.Prefer, TableHeaders.ReturnNoContent);
        TableRestClient.SetJsonBody(message, body);
        return await rest.SendAsync(message, cancellationToken, 201, 204).ConfigureAwait(false);
    }

    /// <summary>Inserts the entity, or merges it into / replaces the stored one, unconditionally. One request.</summary>
    public virtual async Task<Response> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) where T : ITableEntity
    {
        TableKeys.Validate(entity);
        var message = CreateWrite(entity, mode, ifMatch: null);
        return await rest.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Merges into or replaces a stored entity if its ETag still matches <paramref name="ifMatch"/>
    /// (<see cref="ETag.All"/> for unconditional). One request.</summary>
    /// <exception cref="RequestFailedException">412 <c>UpdateConditionNotSatisfied</c> on a stale ETag; 404 <c>ResourceNotFound</c>.</exception>
    public virtual async Task<Response> UpdateEntityAsync<T>(T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) where T : ITableEntity
    {
        TableKeys.Validate(entity);
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs an ETag; pass ETag.All to update unconditionally.", nameof(ifMatch));
        }
        var message = CreateWrite(entity, mode, ifMatch.ToString());
        return await rest.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
    }

    private HttpMessage CreateWrite(ITableEntity entity, TableUpdateMode mode, string? ifMatch)
    {
        var body = EntityMapper.Serialize(entity);
        var method = mode switch
        {
            TableUpdateMode.Merge => RequestMethod.Patch,
            TableUpdateMode.Replace => RequestMethod.Put,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown update mode."),
        };
        var message = rest.CreateMessage(method, TableKeys.EntityPath(Name, entity.PartitionKey, entity.RowKey));
        if (ifMatch is not null)
        {
            message.Request.Headers.SetValue(TableHeaders.IfMatch, ifMatch);
        }
        TableRestClient.SetJsonBody(message, body);
        return message;
    }

    /// <summary>Reads one entity, optionally only the <paramref name="select"/>ed properties. One request.</summary>
    /// <exception cref="RequestFailedException">404 <c>ResourceNotFound</c>.</exception>
    public virtual async Task<Response<T>> GetEntityAsync<T>(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) where T : class, ITableEntity
    {
        var response = await SendGetAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            throw TableRestClient.Failure(response);
        }
        return Response.FromValue(ReadEntity<T>(response), response);
    }

    /// <summary>Reads one entity; <see cref="NullableResponse{T}.HasValue"/> is false when it does not exist. One request.</summary>
    public virtual async Task<NullableResponse<T>> GetEntityIfExistsAsync<T>(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) where T : class, ITableEntity
    {
        var response = await SendGetAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return new NoValueResponse<T>(response);
        }
        return Response.FromValue(ReadEntity<T>(response), response);
    }

    private async Task<Response> SendGetAsync(string partitionKey, string rowKey, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        var query = TableRestClient.Query(("$select", SelectList(select)));
        var message = rest.CreateMessage(RequestMethod.Get, TableKeys.EntityPath(Name, partitionKey, rowKey), query);
        var response = await rest.SendAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        // A missing table is also a 404 (TableNotFound); only a missing entity is "no value".
        if (response.Status == 404 && TableRestClient.ErrorCode(response) is { } code && code != "ResourceNotFound")
        {
            throw TableRestClient.Failure(response);
        }
        return response;
    }

    private static T ReadEntity<T>(Response response) where T : class, ITableEntity
    {
        using var doc = TableRestClient.ReadJson(response);
        var etag = response.Headers.ETag ?? default;
        return EntityMapper.Deserialize<T>(doc.RootElement, etag);
    }

    /// <summary>Deletes an entity if its ETag matches <paramref name="ifMatch"/> (default: <c>*</c>, any version).
    /// A missing entity is not an error (the 404 response is returned). One request.</summary>
    /// <exception cref="RequestFailedException">412 <c>UpdateConditionNotSatisfied</c> on a stale ETag.</exception>
    public virtual async Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        var message = rest.CreateMessage(RequestMethod.Delete, TableKeys.EntityPath(Name, partitionKey, rowKey));
        message.Request.Headers.SetValue(TableHeaders.IfMatch, ifMatch == default ? "*" : ifMatch.ToString());
        var response = await rest.SendAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
        if (response.Status == 404 && TableRestClient.ErrorCode(response) is { } code && code != "ResourceNotFound")
        {
            throw TableRestClient.Failure(response);
        }
        return response;
    }

    internal static string? SelectList(IEnumerable<string>? select)
    {
        if (select is null)
        {
            return null;
        }
        var list = string.Join(",", select);
        return list.Length == 0 ? null : list;
    }
}
