using System.Security.Cryptography;
using System.Text;
using Rebind.Core.Security;

namespace Rebind.Functions.Passwords;

/// <summary>
/// k-anonymity check against a Pwned Passwords–style range API: only the first 5 hex digits of the password's
/// SHA-1 leave the app (<c>GET /range/{prefix}</c> with <c>Add-Padding: true</c>); the service answers every suffix
/// it knows under that prefix (<c>SUFFIX:COUNT</c> lines, padding lines having count 0) and the match is made here.
/// </summary>
public sealed class RangeBreachedPasswords(HttpClient http, ILogger<RangeBreachedPasswords> logger) : IBreachedPasswords
{
    public async Task<bool?> IsBreachedAsync(string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(PasswordHasher.Normalize(password))));
        var (prefix, suffix) = (hash[..5], hash[5..]);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"range/{prefix}");
            request.Headers.Add("Add-Padding", "true");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon == suffix.Length
                    && line.AsSpan(0, colon).Equals(suffix, StringComparison.OrdinalIgnoreCase)
                    && long.TryParse(line.AsSpan(colon + 1).Trim(), out var count))
                {
                    return count > 0;
                }
            }
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The breached-password service could not be asked: {Reason}", e.GetType().Name);
            return null;
        }
    }
}

/// <summary>The check when no service is configured: nothing is known to be breached.</summary>
public sealed class NoBreachedPasswords : IBreachedPasswords
{
    public Task<bool?> IsBreachedAsync(string password, CancellationToken cancellationToken = default) => Task.FromResult<bool?>(false);
}
