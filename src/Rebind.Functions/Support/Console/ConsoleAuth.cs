using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Rebind.Core.Security;

namespace Rebind.Functions.Support.Console;

/// <summary>A person signed in to the support console, with the roles the identity provider (or the development sign-in) gave.</summary>
/// <param name="SessionKey">What the console's anti-forgery tokens are bound to: the development session, or the Entra object id.</param>
public sealed record ConsoleAgent(string Name, IReadOnlyList<string> Roles, string SessionKey)
{
    public bool IsAgent => Roles.Contains(SupportOptions.AgentRole, StringComparer.OrdinalIgnoreCase) || IsSupervisor;

    public bool IsSupervisor => Roles.Contains(SupportOptions.SupervisorRole, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Who is calling the console (<c>Support__Auth</c>): nobody when it is off; the development sign-in's signed cookie
/// (Development only); or App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header, which Easy Auth sets after
/// Entra ID sign-in and strips from what clients send — trusted only when configured, never otherwise. Anti-forgery
/// tokens are an HMAC of the session key under a key derived from the code key ring, so every instance agrees.
/// </summary>
public sealed class ConsoleAuth(SupportAuthMode mode, CodeKeyRing keys, TimeProvider time)
{
    public const string CookieName = "rebind_support";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string CsrfField = "_csrf";

    /// <summary>How long a development sign-in lasts.</summary>
    public static readonly TimeSpan DevelopmentSession = TimeSpan.FromHours(8);

    private readonly byte[] key = keys.DeriveKey("support-console");

    public SupportAuthMode Mode => mode;

    /// <summary>The caller, or null when not signed in (or the console is off).</summary>
    public ConsoleAgent? Resolve(HttpContext context) => mode switch
    {
        SupportAuthMode.Development => FromCookie(context.Request.Cookies[CookieName]),
        SupportAuthMode.EasyAuth => FromPrincipal(context.Request.Headers[PrincipalHeader].ToString()),
        _ => null,
    };

    public string Csrf(ConsoleAgent agent) => WebEncoders.Base64UrlEncode(Mac("csrf|" + agent.SessionKey));

    public bool CsrfMatches(ConsoleAgent agent, string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token), Encoding.ASCII.GetBytes(Csrf(agent)));

    /// <summary>The development sign-in's cookie value: the agent, signed, with its expiry.</summary>
    public string IssueDevelopmentCookie(string name, IReadOnlyList<string> roles)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new DevSession(name, roles, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            (time.GetUtcNow() + DevelopmentSession).ToUnixTimeSeconds()));
        var body = WebEncoders.Base64UrlEncode(payload);
        return body + "." + WebEncoders.Base64UrlEncode(Mac("session|" + body));
    }

    private ConsoleAgent? FromCookie(string? cookie)
    {
        var dot = cookie?.IndexOf('.') ?? -1;
        if (cookie is null || dot <= 0 || cookie.Length > 2048)
        {
            return null;
        }
        var body = cookie[..dot];
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(WebEncoders.Base64UrlDecode(cookie[(dot + 1)..]), Mac("session|" + body)))
            {
                return null;
            }
            var session = JsonSerializer.Deserialize<DevSession>(WebEncoders.Base64UrlDecode(body));
            return session is null || session.Expires < time.GetUtcNow().ToUnixTimeSeconds() || string.IsNullOrWhiteSpace(session.Name)
                ? null
                : new ConsoleAgent(session.Name, session.Roles ?? [], session.Id);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Easy Auth's principal: base64 JSON <c>{auth_typ, name_typ, role_typ, claims: [{typ, val}]}</c>.</summary>
    public static ConsoleAgent? FromPrincipal(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 16384)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(header));
            var root = document.RootElement;
            var nameType = root.TryGetProperty("name_typ", out var n) ? n.GetString() : null;
            var roleType = root.TryGetProperty("role_typ", out var r) ? r.GetString() : null;
            var claims = root.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? string.Empty, Value: c.GetProperty("val").GetString() ?? string.Empty))
                .ToList();
            string? First(params string?[] types) => types.OfType<string>().Select(t => claims.FirstOrDefault(c => c.Type == t).Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            var name = First(nameType, "preferred_username", "name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name");
            if (name is null)
            {
                return null;
            }
            var roles = claims.Where(c => c.Type == roleType || c.Type is "roles" or "http://schemas.microsoft.com/ws/2008/06/identity/claims/role")
                .Select(c => c.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var id = First("http://schemas.microsoft.com/identity/claims/objectidentifier", "oid") ?? name;
            return new ConsoleAgent(name, roles, "entra|" + id);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private byte[] Mac(string value) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value));

    private sealed record DevSession(string Name, IReadOnlyList<string>? Roles, string Id, long Expires);
}
