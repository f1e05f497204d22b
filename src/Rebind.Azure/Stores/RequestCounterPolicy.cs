using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Stores;

/// <summary>
/// Counts the HTTP requests a client sends, retries included, so tests and benchmarks can report
/// storage round trips per API call. Add it per retry:
/// <code>options.AddPolicy(counter, HttpPipelinePosition.PerRetry);</code>
/// </summary>
public sealed class RequestCounterPolicy : HttpPipelineSynchronousPolicy
{
    private long count;

    /// <summary>Requests sent since creation or the last <see cref="Reset"/>.</summary>
    public long Count => Interlocked.Read(ref count);

    /// <summary>Sets <see cref="Count"/> back to zero.</summary>
    public void Reset() => Interlocked.Exchange(ref count, 0);

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref count);
}
