using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Rebind.Core.Accounts;
using Rebind.Core.Security;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>Seeds accounts through <see cref="IAccountStore"/> and signs in over HTTP.</summary>
public static class Accounts
{
    public const string Password = "river7stone-Q";

    // One real 600k PBKDF2 hash per test process: seeding is not what these tests measure.
    private static readonly Lazy<string> PasswordHash = new(() => new PasswordHasher().Hash(Password));

    public static async Task<Account> SeedAsync(TestApp app, string? phone = null, string? email = null, Func<Account, Account>? change = null)
    {
        var store = app.Services.GetRequiredService<IAccountStore>();
        var account = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            Phone = phone,
            Email = email,
            PasswordHash = PasswordHash.Value,
            SecurityStamp = Account.NewSecurityStamp(),
            CreatedAt = app.Time.GetUtcNow(),
        };
        account = change?.Invoke(account) ?? account;
        await store.CreateAsync(account);
        if (phone is not null)
        {
            Assert.Equal(ClaimOutcome.Claimed, await store.ClaimAsync(IdentifierKind.Phone, phone, account.Id));
        }

        if (email is not null)
        {
            Assert.Equal(ClaimOutcome.Claimed, await store.ClaimAsync(IdentifierKind.Email, email, account.Id));
        }

        return account;
    }

    public static string NewPhone() => "+86139" + Random.Shared.Next(10_000_000, 99_999_999);

    public static string NewEmail() => $"u{Guid.NewGuid():N}@example.com";

    public static Task<HttpResponseMessage> PostSignInAsync(TestApp app, string identifier, string password = Password, string? deviceName = "Test phone", string? ip = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in")
        {
            Content = JsonContent.Create(new { identifier, password, deviceName }),
        };
        if (ip is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", ip);
        }

        return app.Client.SendAsync(request);
    }

    /// <summary>Signs in and returns (token, session id); fails the test on anything but 200.</summary>
    public static async Task<(string Token, string SessionId)> SignInAsync(TestApp app, string identifier, string? deviceName = "Test phone")
    {
        var response = await PostSignInAsync(app, identifier, deviceName: deviceName);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("token").GetString()!, json.GetProperty("sessionId").GetString()!);
    }

    public static Task<HttpResponseMessage> SendAsync(TestApp app, HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return app.Client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
