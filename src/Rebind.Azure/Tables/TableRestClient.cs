using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Tables;

/// <summary>The pipeline, endpoint and request plumbing shared by the service client and its table clients.</summary>
internal sealed class TableRestClient
{
    private readonly HttpPipeline pipeline;
    private readonly string version;

    private TableRestClient(HttpPipeline pipeline, Uri endpoint, string version)
    {
        this.pipeline = pipeline;
        Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/'));
        this.version = version;
    }

    /// <summary>The table service endpoint without a trailing slash, e.g. <c>http://127.0.0.1:10002/devstoreaccount1</c>.</summary>
    public Uri Endpoint { get; }

    public static TableRestClient FromConnectionString(string connectionString, TableClientOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parsed = StorageConnectionString.Parse(connectionString);
        if (parsed.AccountKey is null)
        {
            throw new ArgumentException(
                "The connection string has no AccountKey. For token auth, pass the endpoint and a TokenCredential, or use TableStorage.CreateServiceClient.",
                nameof(connectionString));
        }
        return WithSharedKey(parsed.TableEndpoint, new TableSharedKeyCredential(parsed.AccountName, parsed.AccountKey), options);
    }

    public static TableRestClient WithSharedKey(Uri endpoint, TableSharedKeyCredential credential, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new TableClientOptions();
        return Create(endpoint, options, new TableSharedKeyPipelinePolicy(credential));
    }

    public static TableRestClient WithToken(Uri endpoint, TokenCredential credential, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new TableClientOptions();
        return Create(endpoint, options, new BearerTokenAuthenticationPolicy(credential, TableHeaders.StorageScope));
    }

    // Dating and signing run per retry, so every attempt carries a fresh x-ms-date and signature.
    private static TableRestClient Create(Uri endpoint, TableClientOptions options, HttpPipelinePolicy auth) =>
        new(HttpPipelineBuilder.Build(options, new TableDatePolicy(options.TimeProvider), auth), endpoint, options.VersionString);

    /// <summary>A message for <c>{endpoint}/{relative}</c>; <paramref name="relative"/> is already escaped.</summary>
    public HttpMessage CreateMessage(RequestMethod method, string relative, string? query = null)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri($"{Endpoint}/{relative}{(string.IsNullOrEmpty(query) ? string.Empty : "?" + query)}"));
        request.Headers.SetValue(TableHeaders.Version, version);
        request.Headers.SetValue(TableHeaders.DataServiceVersion, "3.0");
        request.Headers.SetValue(TableHeaders.MaxDataServiceVersion, "3.0;NetFx");
        request.Headers.SetValue(TableHeaders.Accept, TableHeaders.MinimalMetadata);
        return message;
    }

    public static void SetJsonBody(HttpMessage message, byte[] body)
    {
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, TableHeaders.JsonContentType);
        message.Request.Content = RequestContent.Create(body);
    }

    /// <summary>Sends the message; throws <see cref="RequestFailedException"/> unless the status is one of <paramref name="expected"/>.</summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken, params int[] expected)
    {
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw Failure(response);
        }
        return response;
    }

    public static RequestFailedException Failure(Response response) =>
        new(response, null, TablesRequestFailedDetailsParser.Instance);

    public static string? ErrorCode(Response response)
    {
        if (response.Headers.TryGetValue(TableHeaders.ErrorCode, out var code))
        {
            return code;
        }
        return TablesRequestFailedDetailsParser.ParseBody(response.Content.ToMemory()).Code;
    }

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }
            query.Append(query.Length == 0 ? string.Empty : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return query.ToString();
    }

    public static JsonDocument ReadJson(Response response) => JsonDocument.Parse(response.Content.ToMemory());
}
