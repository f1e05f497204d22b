using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>Calls the flow API the way the mobile app does, reading codes from the development inbox.</summary>
public sealed partial class FlowClient(HttpClient client)
{
    public const string StrongPassword = "correct-horse-7battery";

    public HttpClient Http => client;

    public static string NewPhone() => "+86138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task<HttpResponseMessage> StartSignUpAsync(string phone, string? idempotencyKey = null, string? language = null, string? region = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/signup") { Content = JsonContent.Create(new { phone, region }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (language is not null)
        {
            request.Headers.Add("Accept-Language", language);
        }
        return client.SendAsync(request);
    }

    /// <summary>Starts sign-up and returns the flow id (asserting 201).</summary>
    public async Task<string> StartedSignUpAsync(string phone)
    {
        var response = await StartSignUpAsync(phone);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("flowId").GetString()!;
    }

    public async Task<JsonElement[]> InboxAsync(string to)
    {
        var response = await client.GetAsync("/api/dev/inbox?to=" + Uri.EscapeDataString(to));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!;
    }

    /// <summary>The code in the newest message to <paramref name="to"/>.</summary>
    public async Task<string> LatestCodeAsync(string to)
    {
        var inbox = await InboxAsync(to);
        Assert.NotEmpty(inbox);
        return SixDigits().Match(inbox[0].GetProperty("text").GetString()!).Value;
    }

    public Task<HttpResponseMessage> SubmitCodeAsync(string flowId, string code) =>
        client.PostAsJsonAsync($"/api/flows/{flowId}/code", new { code });

    public Task<HttpResponseMessage> SetPasswordAsync(string flowId, string password) =>
        client.PostAsJsonAsync($"/api/flows/{flowId}/password", new { password });

    public Task<HttpResponseMessage> ResendAsync(string flowId) =>
        client.PostAsync($"/api/flows/{flowId}/resend", null);

    public async Task<JsonElement> GetFlowAsync(string flowId)
    {
        var response = await client.GetAsync($"/api/flows/{flowId}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// The flow an answer leads to: its body for a <c>200</c>; for a <c>202</c> (the orchestration did not move within
    /// the answer's wait), the flow at its <c>Location</c>, read every half second until it leaves the state the 202
    /// reported, at most <paramref name="within"/>.
    /// </summary>
    public async Task<JsonElement> SettledAsync(HttpResponseMessage response, TimeSpan within)
    {
        var flow = await OkJson(response);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return flow;
        }
        var location = response.Headers.Location;
        Assert.NotNull(location);
        var waiting = flow.GetProperty("state").GetString();
        var until = DateTime.UtcNow + within;
        while (flow.GetProperty("state").GetString() == waiting && DateTime.UtcNow < until)
        {
            await Task.Delay(500);
            flow = await OkJson(await client.GetAsync(location));
        }
        return flow;
    }

    public static async Task<JsonElement> OkJson(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
