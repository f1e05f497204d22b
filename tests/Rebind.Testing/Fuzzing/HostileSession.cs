using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rebind.Testing.Fuzzing;

/// <summary>
/// A real account and flows in various states, made over HTTP the way the mobile app makes them (codes read from
/// the development inbox), so the fuzzer gets past sign-in and flow lookups. Keeps a live session token: fuzzed
/// sign-outs end sessions, so a dead token is replaced by a new sign-in (or, if the account got throttled or
/// locked by fuzzed failures, by a new account).
/// </summary>
public sealed partial class HostileSession(HttpClient http, Random random)
{
    public const string Password = "correct-horse-7battery";

    private readonly SemaphoreSlim gate = new(1, 1);
    private string token = string.Empty;
    private int setupRequests;

    public HostileTargets Targets { get; } = new();

    /// <summary>Requests the setup and token refreshes sent (not counted as fuzz requests).</summary>
    public int SetupRequests => Volatile.Read(ref setupRequests);

    public int Refreshes { get; private set; }

    public string Phone { get; private set; } = string.Empty;

    public string Token => Volatile.Read(ref token);

    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        Phone = NewPhone();
        var (_, signUpDone) = await SignUpAsync(Phone, cancellationToken);
        var (newToken, sessionId) = await SignInAsync(Phone, cancellationToken) ?? throw new InvalidOperationException("Could not sign in the fuzz account.");
        token = newToken;
        Targets.Ids.AddRange([signUpDone, sessionId]);

        // Sign-up flows: waiting for the code, waiting for the password, cancelled, failed (five wrong codes).
        var awaitingCode = await StartSignUpAsync(NewPhone(), cancellationToken);
        var phone = NewPhone();
        var awaitingPassword = await StartSignUpAsync(phone, cancellationToken);
        await SendAsync(HttpMethod.Post, $"/api/flows/{awaitingPassword}/code", new { code = await CodeAsync(phone, "signup_code", cancellationToken) }, null, cancellationToken);
        var cancelled = await StartSignUpAsync(NewPhone(), cancellationToken);
        await SendAsync(HttpMethod.Delete, $"/api/flows/{cancelled}", null, null, cancellationToken);
        phone = NewPhone();
        var failed = await StartSignUpAsync(phone, cancellationToken);
        var right = await CodeAsync(phone, "signup_code", cancellationToken);
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(HttpMethod.Post, $"/api/flows/{failed}/code", new { code = right == "000000" ? "111111" : "000000" }, null, cancellationToken);
        }
        Targets.Ids.AddRange([awaitingCode, awaitingPassword, cancelled, failed]);

        // Sign-in-page flows: reset of the real account (waiting for the code, then for the password), recovery of an unknown one.
        Targets.Ids.Add(await StartedAsync("/api/password/reset", new { identifier = Phone }, null, cancellationToken));
        var reset = await StartedAsync("/api/password/reset", new { identifier = Phone }, null, cancellationToken);
        await SendAsync(HttpMethod.Post, $"/api/flows/{reset}/code", new { code = await CodeAsync(Phone, "password_reset_code", cancellationToken) }, null, cancellationToken);
        Targets.Ids.Add(reset);
        Targets.Ids.Add(await StartedAsync("/api/recovery/phone/email", new { identifier = NewPhone() }, null, cancellationToken));

        // Security questions, then recovery by them (only when the app has it on).
        var questions = new { questions = new[] { new { question = "Your first pet?", answer = "Mimi" }, new { question = "City of birth?", answer = "Beijing" } } };
        await SendAsync(HttpMethod.Put, "/api/me/security-questions", questions, Token, cancellationToken);
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/recovery/phone/questions", new { identifier = Phone }, null, cancellationToken);
        if (status == HttpStatusCode.Created)
        {
            var flow = JsonDocument.Parse(body).RootElement;
            Targets.Ids.Add(flow.GetProperty("flowId").GetString()!);
            if (flow.TryGetProperty("questions", out var shown) && shown.ValueKind == JsonValueKind.Array)
            {
                Targets.QuestionIds.AddRange(shown.EnumerateArray().Select(q => q.GetProperty("id").GetString()!));
            }
        }

        // The account's own flows: bind an email (waiting for its code), change the phone (past the old phone's code).
        Targets.Ids.Add(await StartedAsync("/api/me/email/bind", new { email = $"fuzz{random.Next():x}@example.com" }, Token, cancellationToken));
        var change = await StartedAsync("/api/me/phone/change", new { }, Token, cancellationToken);
        await SendAsync(HttpMethod.Post, $"/api/flows/{change}/code", new { code = await CodeAsync(Phone, "verify_old_phone_code", cancellationToken) }, Token, cancellationToken);
        Targets.Ids.Add(change);

        var (_, activity) = await SendAsync(HttpMethod.Get, "/api/me/activity?limit=1", null, Token, cancellationToken);
        if (JsonDocument.Parse(activity).RootElement.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String)
        {
            Targets.CursorLike = cursor.GetString()!;
        }
    }

    /// <summary>Replaces <paramref name="dead"/> with a new session unless another caller already did.</summary>
    public async Task RefreshAsync(string dead, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Token != dead)
            {
                return;
            }
            Refreshes++;
            var signedIn = await SignInAsync(Phone, cancellationToken);
            if (signedIn is null)
            {
                // Fuzzed wrong passwords throttled or locked the account: carry on with a new one.
                Phone = NewPhone();
                await SignUpAsync(Phone, cancellationToken);
                signedIn = await SignInAsync(Phone, cancellationToken) ?? throw new InvalidOperationException("Could not sign in a new fuzz account.");
            }
            Volatile.Write(ref token, signedIn.Value.Token);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(string Phone, string FlowId)> SignUpAsync(string phone, CancellationToken cancellationToken)
    {
        var flowId = await StartSignUpAsync(phone, cancellationToken);
        await SendAsync(HttpMethod.Post, $"/api/flows/{flowId}/code", new { code = await CodeAsync(phone, "signup_code", cancellationToken) }, null, cancellationToken);
        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/flows/{flowId}/password", new { password = Password }, null, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Sign-up of the fuzz account failed: {(int)status} {body}");
        }
        return (phone, flowId);
    }

    private Task<string> StartSignUpAsync(string phone, CancellationToken cancellationToken) =>
        StartedAsync("/api/signup", new { phone }, null, cancellationToken);

    private async Task<(string Token, string SessionId)?> SignInAsync(string phone, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/auth/sign-in", new { identifier = phone, password = Password, deviceName = "Fuzz" }, null, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            return null;
        }
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("token").GetString()!, json.GetProperty("sessionId").GetString()!);
    }

    private async Task<string> StartedAsync(string path, object body, string? bearer, CancellationToken cancellationToken)
    {
        var (status, text) = await SendAsync(HttpMethod.Post, path, body, bearer, cancellationToken);
        if (status != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {path} during fuzz setup: {(int)status} {text}");
        }
        return JsonDocument.Parse(text).RootElement.GetProperty("flowId").GetString()!;
    }

    /// <summary>The newest code of <paramref name="kind"/> sent to <paramref name="to"/>.</summary>
    private async Task<string> CodeAsync(string to, string kind, CancellationToken cancellationToken)
    {
        var (_, body) = await SendAsync(HttpMethod.Get, "/api/dev/inbox?to=" + Uri.EscapeDataString(to), null, null, cancellationToken);
        var message = JsonDocument.Parse(body).RootElement.EnumerateArray().FirstOrDefault(m => m.GetProperty("kind").GetString() == kind);
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"No {kind} in the development inbox (is the app in Development?).");
        }
        return SixDigits().Match(message.GetProperty("text").GetString()!).Value;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, object? body, string? bearer, CancellationToken cancellationToken)
    {
        try
        {
            return await SendOnceAsync(method, path, body, bearer, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // A pooled connection the server closed after a fuzzed request (see HostileRun): once more on a new one.
            return await SendOnceAsync(method, path, body, bearer, cancellationToken);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> SendOnceAsync(HttpMethod method, string path, object? body, string? bearer, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref setupRequests);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }
        // Setup comes from its own "clients", so fuzzed traffic does not exhaust its per-IP limits.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"192.0.2.{random.Next(1, 255)}");
        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private string NewPhone() => "+86139" + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
