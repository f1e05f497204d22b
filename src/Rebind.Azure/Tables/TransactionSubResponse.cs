using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace Rebind.Azure.Tables;

/// <summary>The response to one operation inside an entity group transaction.</summary>
internal sealed class TransactionSubResponse : Response
{
    private readonly Dictionary<string, string> headers;

    public TransactionSubResponse(int status, string reasonPhrase, Dictionary<string, string> headers, byte[] content)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        this.headers = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        ContentStream = new MemoryStream(content, writable: false);
    }

    public override int Status { get; }

    public override string ReasonPhrase { get; }

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; } = string.Empty;

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool ContainsHeader(string name) => headers.ContainsKey(name);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(h => new HttpHeader(h.Key, h.Value));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => headers.TryGetValue(name, out value);

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = headers.TryGetValue(name, out var value);
        values = found ? [value!] : null;
        return found;
    }
}
