using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rebind.Functions.Support;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>Files support cases and follows them over HTTP, as the app does.</summary>
public static partial class SupportCases
{
    public const string Path = "/api/recovery/support";

    public static Task<HttpResponseMessage> FileAsync(TestApp app, object body) => app.Client.PostAsJsonAsync(Path, body);

    /// <summary>Files a case and confirms the new phone's code; returns the case id once the case is in review.</summary>
    public static async Task<string> SubmittedAsync(TestApp app, object body, string newPhone, string? contactEmail = null)
    {
        var filed = await FileAsync(app, body);
        var text = await filed.Content.ReadAsStringAsync();
        Assert.True(filed.StatusCode == HttpStatusCode.Created, text);
        var caseId = JsonDocument.Parse(text).RootElement.GetProperty("flowId").GetString()!;
        var client = new FlowClient(app.Client);
        await FlowClient.OkJson(await client.SubmitCodeAsync(caseId, await client.LatestCodeAsync(newPhone)));
        if (contactEmail is not null)
        {
            await FlowClient.OkJson(await client.SubmitCodeAsync(caseId, await client.LatestCodeAsync(contactEmail)));
        }
        await StatusAsync(app, caseId, "in_review");
        return caseId;
    }

    /// <summary>Waits (at most 30 s) until the case shows <paramref name="status"/>; returns its view.</summary>
    public static async Task<JsonElement> StatusAsync(TestApp app, string caseId, string status, int seconds = 30)
    {
        JsonElement view = default;
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            var response = await app.Client.GetAsync($"{Path}/{caseId}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            view = JsonDocument.Parse(text).RootElement.Clone();
            if (view.GetProperty("status").GetString() == status)
            {
                return view;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"case never reached {status}: {view}");
        return view;
    }

    public static string Ref(string caseId) => SupportCaseIndex.RefOf(caseId);

    /// <summary>The kinds of the messages sent to <paramref name="to"/>, newest first.</summary>
    public static async Task<string[]> KindsAsync(TestApp app, string to) =>
        (await new FlowClient(app.Client).InboxAsync(to)).Select(m => m.GetProperty("kind").GetString()!).ToArray();

    /// <summary>Waits (at most 30 s) until a message of <paramref name="kind"/> went to <paramref name="to"/> (notices leave through the orchestration).</summary>
    public static async Task<string[]> SentAsync(TestApp app, string to, string kind)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            var kinds = await KindsAsync(app, to);
            if (kinds.Contains(kind))
            {
                return kinds;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"no {kind} was sent: {string.Join(", ", await KindsAsync(app, to))}");
        return [];
    }

    /// <summary>The texts of the messages sent to <paramref name="to"/>, newest first.</summary>
    public static async Task<string[]> TextsAsync(TestApp app, string to) =>
        (await new FlowClient(app.Client).InboxAsync(to)).Select(m => m.GetProperty("text").GetString()!).ToArray();
}

/// <summary>An agent's browser without a browser: the development sign-in's cookie, the forms' anti-forgery token.</summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient http;

    public ConsoleClient(TestApp app)
    {
        http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.Client.BaseAddress };
    }

    public string? Csrf { get; private set; }

    public static async Task<ConsoleClient> SignedInAsync(TestApp app, string name, params string[] roles)
    {
        var client = new ConsoleClient(app);
        var fields = new List<KeyValuePair<string, string>> { new("name", name) };
        fields.AddRange(roles.Select(r => new KeyValuePair<string, string>("role", r)));
        var response = await client.http.PostAsync("/support/sign-in", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        var response = await http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (CsrfField().Match(html) is { Success: true } token)
        {
            Csrf = WebUtility.HtmlDecode(token.Groups[1].Value);
        }
        return (response.StatusCode, html);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, params (string Key, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        if (Csrf is not null && all.All(f => f.Key != "_csrf"))
        {
            all.Add(new("_csrf", Csrf));
        }
        return await http.PostAsync(path, new FormUrlEncodedContent(all));
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]*)\"")]
    private static partial Regex CsrfField();
}
