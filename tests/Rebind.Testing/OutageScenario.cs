using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rebind.Testing;

/// <summary>One API call to time while storage is down.</summary>
public sealed record OutageStep(string Name, Func<HttpClient, Task<HttpResponseMessage>> Send);

/// <summary>What one step answered in an outage and how long it took.</summary>
public sealed record OutageResult(string Name, int Status, string? Code, string? RetryAfter, TimeSpan Took);

/// <summary>
/// The storage-outage scenario shared by the outage tests and <c>Rebind.Bench outage</c>: with storage up, a
/// finished sign-up (an account and a session) and a second sign-up waiting for its code; then, with storage down,
/// every kind of step, each answered and timed.
/// </summary>
public sealed partial class OutageScenario
{
    public const string Password = "correct-horse-7battery";

    private OutageScenario(string phone, string flowId, string code, string token)
    {
        Phone = phone;
        FlowId = flowId;
        Code = code;
        Token = token;
    }

    /// <summary>The phone of the account signed up while storage was up.</summary>
    public string Phone { get; }

    /// <summary>The second sign-up, waiting for <see cref="Code"/>.</summary>
    public string FlowId { get; }

    public string Code { get; }

    /// <summary>A session token of the account.</summary>
    public string Token { get; }

    /// <summary>Sets the scene through the API (storage must be up; the app in Development, for its inbox).</summary>
    public static async Task<OutageScenario> PrepareAsync(HttpClient http)
    {
        var phone = NewPhone();
        var first = await StartAsync(http, phone);
        await Ok(await http.PostAsJsonAsync($"/api/flows/{first}/code", new { code = await CodeAsync(http, phone) }));
        await Ok(await http.PostAsJsonAsync($"/api/flows/{first}/password", new { password = Password }));
        var signIn = await Ok(await http.PostAsJsonAsync("/api/auth/sign-in", new { identifier = phone, password = Password }));
        var token = signIn.GetProperty("token").GetString()!;

        var second = NewPhone();
        var flowId = await StartAsync(http, second);
        return new OutageScenario(phone, flowId, await CodeAsync(http, second), token);
    }

    /// <summary>Every kind of step: flow start, read, code, resend, password, sign-in, a signed-in read, the sign-in
    /// page's reset start, and the readiness probe.</summary>
    public IReadOnlyList<OutageStep> Steps() =>
    [
        new("POST /api/signup", h => h.PostAsJsonAsync("/api/signup", new { phone = NewPhone() })),
        new("GET /api/flows/{id}", h => h.GetAsync($"/api/flows/{FlowId}")),
        new("POST /api/flows/{id}/code", h => h.PostAsJsonAsync($"/api/flows/{FlowId}/code", new { code = Code })),
        new("POST /api/flows/{id}/resend", h => h.PostAsync($"/api/flows/{FlowId}/resend", null)),
        new("POST /api/flows/{id}/password", h => h.PostAsJsonAsync($"/api/flows/{FlowId}/password", new { password = Password })),
        new("POST /api/auth/sign-in", h => h.PostAsJsonAsync("/api/auth/sign-in", new { identifier = Phone, password = Password })),
        new("GET /api/me", h => h.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } })),
        new("POST /api/password/reset", h => h.PostAsJsonAsync("/api/password/reset", new { identifier = Phone })),
        new("GET /api/health/ready", h => h.GetAsync("/api/health/ready")),
    ];

    /// <summary>Runs each step once, in order, timing it from send to the full answer.</summary>
    public async Task<IReadOnlyList<OutageResult>> RunAsync(HttpClient http)
    {
        var results = new List<OutageResult>();
        foreach (var step in Steps())
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await step.Send(http);
            var body = await response.Content.ReadAsStringAsync();
            var took = Stopwatch.GetElapsedTime(started);
            string? code = null;
            try
            {
                code = JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            }
            catch (JsonException)
            {
            }
            results.Add(new OutageResult(step.Name, (int)response.StatusCode, code, response.Headers.RetryAfter?.ToString(), took));
        }
        return results;
    }

    /// <summary>
    /// After the outage: the waiting sign-up takes its code and password and completes. When the password's answer is
    /// <c>202 Accepted</c> (the flow's orchestration had not created the account within the answer wait: after a hang,
    /// the Durable backend's own calls still wait out their timeouts), the client does what the API says: it reads the
    /// flow at <c>Location</c> until it ends, for at most <paramref name="within"/>.
    /// </summary>
    /// <returns>The flow's last state.</returns>
    public async Task<string> CompleteFlowAsync(HttpClient http, TimeSpan? within = null)
    {
        await Ok(await http.PostAsJsonAsync($"/api/flows/{FlowId}/code", new { code = Code }));
        using var password = await http.PostAsJsonAsync($"/api/flows/{FlowId}/password", new { password = Password });
        var state = (await Ok(password)).GetProperty("state").GetString()!;
        if (password.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            return state;
        }
        var location = password.Headers.Location ?? throw new InvalidOperationException("202 without Location");
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (state == "creating_account" && DateTime.UtcNow < until)
        {
            await Task.Delay(500);
            state = (await Ok(await http.GetAsync(location))).GetProperty("state").GetString()!;
        }
        return state;
    }

    public static string NewPhone() => "+86137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> StartAsync(HttpClient http, string phone) =>
        (await Ok(await http.PostAsJsonAsync("/api/signup", new { phone }))).GetProperty("flowId").GetString()!;

    private static async Task<string> CodeAsync(HttpClient http, string phone)
    {
        var inbox = await Ok(await http.GetAsync("/api/dev/inbox?to=" + Uri.EscapeDataString(phone)));
        return SixDigits().Match(inbox[0].GetProperty("text").GetString()!).Value;
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex SixDigits();
}
