using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>Calls the sign-in-page flows (password reset, lost-phone recovery) and compares their answers.</summary>
public static partial class SignInPage
{
    public static Task<HttpResponseMessage> StartAsync(TestApp app, string path, string identifier, string? region = null) =>
        app.Client.PostAsJsonAsync(path, new { identifier, region });

    /// <summary>Starts and returns the flow id (asserting 201).</summary>
    public static async Task<string> StartedAsync(TestApp app, string path, string identifier)
    {
        var response = await StartAsync(app, path, identifier);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("flowId").GetString()!;
    }

    public static Task<HttpResponseMessage> PostAsync(TestApp app, string path, object body) => app.Client.PostAsJsonAsync(path, body);

    /// <summary>
    /// The body with volatile values replaced by placeholders: the flow id, the trace id, and the destination when
    /// it is <paramref name="typed"/> masked (what the user typed, so it differs between two identifiers).
    /// </summary>
    public static async Task<string> NormalizedAsync(HttpResponseMessage response, string? typed = null)
    {
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        if (typed is not null && json["destination"]?.GetValue<string>() == Core.Messaging.Mask.Address(typed.Contains('@') ? Core.Messaging.Channel.Email : Core.Messaging.Channel.Sms, typed))
        {
            json["destination"] = "<typed>";
        }

        foreach (var key in new[] { "flowId", "traceId" })
        {
            if (json.ContainsKey(key))
            {
                json[key] = "<" + key + ">";
            }
        }

        return json.ToJsonString();
    }

    /// <summary>Status, the header names that matter and the Location shape.</summary>
    public static string Shape(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType} " +
        $"location={response.Headers.Location?.ToString().Length} {FlowIdInPath().Replace(response.Headers.Location?.ToString() ?? string.Empty, "<id>")} " +
        $"headers={string.Join(',', response.Headers.Select(h => h.Key).Where(k => k != "Date").Order())}";

    /// <summary>The kinds of the messages sent to <paramref name="to"/>, sorted (the clock may stand still between them).</summary>
    public static async Task<string[]> KindsAsync(FlowClient client, string to) =>
        (await client.InboxAsync(to)).Select(m => m.GetProperty("kind").GetString()!).Order(StringComparer.Ordinal).ToArray();

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    [GeneratedRegex("[A-Za-z0-9_-]{32}")]
    private static partial Regex FlowIdInPath();
}
