using Azure;

namespace Rebind.Azure.Tables;

/// <summary>An <see cref="AsyncPageable{T}"/> that fetches one page per call until no continuation token comes back.</summary>
internal sealed class FuncAsyncPageable<T>(
    Func<string?, int?, CancellationToken, Task<Page<T>>> nextPage,
    int? defaultPageSize,
    CancellationToken cancellationToken) : AsyncPageable<T>(cancellationToken) where T : notnull
{
    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        var token = continuationToken;
        var pageSize = pageSizeHint ?? defaultPageSize;
        do
        {
            // Empty pages that still carry a token are yielded and followed, never treated as the end.
            var page = await nextPage(token, pageSize, CancellationToken).ConfigureAwait(false);
            yield return page;
            token = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(token));
    }
}
