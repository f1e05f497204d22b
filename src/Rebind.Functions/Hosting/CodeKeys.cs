using Rebind.Core.Security;

namespace Rebind.Functions.Hosting;

/// <summary>
/// The code HMAC key ring from <c>Codes__CurrentKeyId</c> and <c>Codes__Keys__&lt;id&gt;</c> (base64, ≥ 32 bytes).
/// Development without keys gets a process-lifetime random key (codes die with the process); anywhere else,
/// missing keys stop the start-up.
/// </summary>
public static class CodeKeys
{
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
