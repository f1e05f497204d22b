using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rebind.Core.Accounts;
using Rebind.Core.Sessions;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>Drives the signed-in account-change flows over HTTP, reading codes from the development inbox.</summary>
public static partial class AccountFlows
{
    /// <summary>
    /// A fresh session for <paramref name="account"/> straight from <see cref="ISessionService"/> (its password proof is
    /// now): the same token a sign-in returns, without spending a 600k PBKDF2 verification per test account.
    /// </summary>
    public static async Task<(string Token, string SessionId)> SessionAsync(TestApp app, Account account, string device = "Test phone")
    {
        var created = await app.Services.GetRequiredService<ISessionService>().CreateAsync(account.Id, account.SecurityStamp, new SessionClient(device, null, null));
        return (created.Token, created.Session.Id);
    }

    /// <summary>Starts a flow and returns its id, asserting 201.</summary>
    public static async Task<JsonElement> StartAsync(TestApp app, HttpMethod method, string path, string token, object? body = null)
    {
        var response = await Accounts.SendAsync(app, method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostAsync(TestApp app, string flowId, string input, string? token, object? body = null) =>
        Accounts.SendAsync(app, HttpMethod.Post, $"/api/flows/{flowId}/{input}", token, body ?? new { });

    /// <summary>Posts the newest code sent to <paramref name="to"/>.</summary>
    public static async Task<HttpResponseMessage> ConfirmAsync(TestApp app, string flowId, string to, string token) =>
        await PostAsync(app, flowId, "code", token, new { code = await CodeAsync(app, to) });

    /// <summary>As <see cref="ConfirmAsync"/>, asserting 200 and returning the flow.</summary>
    public static async Task<JsonElement> ConfirmedAsync(TestApp app, string flowId, string to, string token) =>
        await Accounts.JsonAsync(await ConfirmAsync(app, flowId, to, token));

    /// <summary>
    /// The code in the newest code message to <paramref name="to"/> (of <paramref name="kind"/> if given). Notices are
    /// skipped; with the manual clock, messages sent at one instant have no order, so pass the kind when a
    /// destination got two codes.
    /// </summary>
    public static async Task<string> CodeAsync(TestApp app, string to, string? kind = null)
    {
        var inbox = (await new FlowClient(app.Client).InboxAsync(to))
            .Where(m => m.GetProperty("kind").GetString() is { } k && (kind is null ? k.EndsWith("_code", StringComparison.Ordinal) : k == kind))
            .ToList();
        Assert.NotEmpty(inbox);
        return SixDigits().Match(inbox[0].GetProperty("text").GetString()!).Value;
    }

    /// <summary>Messages of <paramref name="kind"/> sent to <paramref name="to"/>.</summary>
    public static async Task<List<JsonElement>> MessagesAsync(TestApp app, string to, string kind) =>
        (await new FlowClient(app.Client).InboxAsync(to)).Where(m => m.GetProperty("kind").GetString() == kind).ToList();

    /// <summary>The caller's history as (type, outcome, detail), newest first.</summary>
    public static async Task<List<(string Type, string Outcome, string? Detail)>> ActivityAsync(TestApp app, string token)
    {
        var json = await Accounts.JsonAsync(await Accounts.SendAsync(app, HttpMethod.Get, "/api/me/activity?limit=100", token));
        return json.GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("outcome").GetString()!, e.TryGetProperty("detail", out var d) ? d.GetString() : null))
            .ToList();
    }

    public static IAccountStore Store(TestApp app) => app.Services.GetRequiredService<IAccountStore>();

    public static async Task<Account> AccountAsync(TestApp app, string accountId) => (await Store(app).GetAsync(accountId))!.Value;

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
