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

    /// <summary>
    /// The device every seeded account has signed in from (a month ago): <see cref="SignInAsync"/> uses it, so a test that
    /// needs a session gets one without the new-device code. Tests of new devices use <see cref="NewDeviceId"/>.
    /// </summary>
    public const string TestDeviceId = "0f6c2a4e-93d1-4b7e-a5c8-2d9e1f3b7a60";

    public static async Task<Account> SeedAsync(TestApp app, string? phone = null, string? email = null, Func<Account, Account>? change = null)
    {
        var store = app.Services.GetRequiredService<IAccountStore>();
        var now = app.Time.GetUtcNow();
        var account = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            Phone = phone,
            Email = email,
            PasswordHash = PasswordHash.Value,
            SecurityStamp = Account.NewSecurityStamp(),
            CreatedAt = now,
            KnownDevices = [new KnownDevice(KnownDevice.HashOf(TestDeviceId), now.AddDays(-30)) { Name = "Test phone", FirstSeenAt = now.AddDays(-30) }],
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

    /// <summary>A device id as an app makes one: random, 128 bits.</summary>
    public static string NewDeviceId() => Guid.NewGuid().ToString();

    /// <summary><paramref name="account"/> with <paramref name="deviceId"/> among its known devices (it signed in from there).</summary>
    public static Account WithKnownDevice(Account account, string deviceId, DateTimeOffset at) =>
        account with { KnownDevices = [.. account.KnownDevices, new KnownDevice(KnownDevice.HashOf(deviceId), at)] };

    /// <summary>The failures counted for <paramref name="ip"/> (and for all such clients) on an account or an unknown identifier.</summary>
    public static Task<Rebind.Azure.Stores.ClientFailures> ClientFailuresAsync(TestApp app, string subject, string ip = "127.0.0.1") =>
        app.Services.GetRequiredService<Rebind.Azure.Stores.TableSignInClientFailures>().GetAsync(subject, Rebind.Azure.Stores.TableSignInClientFailures.IpClient(ip));

    /// <summary>Counts <paramref name="count"/> failures for <paramref name="ip"/> on <paramref name="subject"/>, the last at <paramref name="at"/>.</summary>
    public static async Task RecordClientFailuresAsync(TestApp app, string subject, int count, DateTimeOffset at, string ip = "127.0.0.1")
    {
        var failures = app.Services.GetRequiredService<Rebind.Azure.Stores.TableSignInClientFailures>();
        var client = Rebind.Azure.Stores.TableSignInClientFailures.IpClient(ip);
        for (var i = 0; i < count; i++)
        {
            await failures.RecordFailureAsync(subject, client, await failures.GetAsync(subject, client), at);
        }
    }

    /// <summary>The subject an account's strangers count on.</summary>
    public static string AccountSubject(Account account) => Rebind.Azure.Stores.TableSignInClientFailures.AccountSubject(account.Id);

    /// <summary>The subject an identifier without an account counts on (<paramref name="normalized"/>: E.164 or the normalized email).</summary>
    public static string UnknownSubject(string normalized) => Rebind.Azure.Stores.TableSignInClientFailures.IdentifierSubject(normalized, normalized);

    public static string NewPhone() => "+86139" + Random.Shared.Next(10_000_000, 99_999_999);

    public static string NewEmail() => $"u{Guid.NewGuid():N}@example.com";

    public static Task<HttpResponseMessage> PostSignInAsync(
        TestApp app, string identifier, string password = Password, string? deviceName = "Test phone", string? ip = null, string? deviceId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in")
        {
            Content = deviceId is null
                ? JsonContent.Create(new { identifier, password, deviceName })
                : JsonContent.Create(new { identifier, password, deviceName, deviceId }),
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
        var response = await PostSignInAsync(app, identifier, deviceName: deviceName, deviceId: TestDeviceId);
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
