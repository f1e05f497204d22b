using Rebind.Core.Security;

namespace Rebind.Functions.Hosting;

/// <summary>
/// The code HMAC key ring from <c>Codes__CurrentKeyId</c> and <c>Codes__Keys__&lt;id&gt;</c> (base64, ≥ 32 bytes).
/// Development without keys gets a process-lifetime random key (codes die with the process); anywhere else,
/// missing keys, or a key published in the repository's samples, stop the start-up.
/// </summary>
public static class CodeKeys
{
    /// <summary>Keys anyone can read in this repository (local.settings.sample.json and the docs); base64.</summary>
    public static readonly IReadOnlySet<string> PublishedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "ZGV2ZWxvcG1lbnQtb25seS1jb2RlLWtleS1ub3Qtc2VjcmV0",
    };

    public static CodeKeyRing Load(IConfiguration configuration, bool isDevelopment, out string? warning)
    {
        warning = null;
        var section = configuration.GetSection("Codes");
        var current = section["CurrentKeyId"];
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var child in section.GetSection("Keys").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value))
            {
                continue;
            }
            try
            {
                keys[child.Key] = Convert.FromBase64String(child.Value);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"Codes__Keys__{child.Key} is not base64.");
            }
        }

        if (string.IsNullOrWhiteSpace(current) || keys.Count == 0)
        {
            if (isDevelopment)
            {
                warning = "Codes__CurrentKeyId / Codes__Keys__<id> are not set: using a random key for this process only (codes sent before a restart will not verify).";
                return CodeKeyRing.CreateRandom("dev-ephemeral");
            }
            throw new InvalidOperationException(
                "Code keys are missing: set Codes__CurrentKeyId and Codes__Keys__<id> (base64 of at least 32 random bytes, e.g. `openssl rand -base64 32`).");
        }

        if (!isDevelopment && keys.FirstOrDefault(k => PublishedKeys.Contains(Convert.ToBase64String(k.Value))) is { Key: { } published })
        {
            throw new InvalidOperationException(
                $"Codes__Keys__{published} is a key published in this repository's samples: generate a secret one (`openssl rand -base64 32`). Sample keys are accepted only in Development.");
        }

        try
        {
            return new CodeKeyRing(current, keys);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException("Code keys are invalid: " + e.Message, e);
        }
    }
}
