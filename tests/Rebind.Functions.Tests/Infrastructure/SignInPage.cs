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

        if (json["questions"] is JsonArray questions)
        {
            // What is asked differs per identifier; what must match is the shape: how many, all from the catalogue.
            json["questions"] = new JsonArray(questions.Select(q => (JsonNode)(Core.Security.SecurityQuestionCatalogue.Contains(q?["id"]?.GetValue<string>())
                ? "<catalogue question>"
                : "<other question>")).ToArray());
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

    /// <summary>
    /// Asserts that the answers for a known and an unknown identifier are alike: status, header names (and the
    /// Retry-After value), Location shape, and the body with volatile values (ids, the typed destination) replaced.
    /// </summary>
    public static async Task AssertAlikeAsync(HttpResponseMessage known, HttpResponseMessage unknown, string? knownTyped = null, string? unknownTyped = null)
    {
        Assert.Equal(Shape(known), Shape(unknown));
        Assert.Equal(known.Headers.RetryAfter?.ToString(), unknown.Headers.RetryAfter?.ToString());
        Assert.Equal(await NormalizedAsync(known, knownTyped), await NormalizedAsync(unknown, unknownTyped));
    }

    /// <summary>
    /// Asserts that <paramref name="known"/> and <paramref name="unknown"/> take the same time: medians of
    /// <paramref name="samples"/> calls each, interleaved (the order alternating per pair, so drift and neighbours'
    /// load hit both alike), within <paramref name="tolerance"/> of each other. A shared 2-core machine has noisy
    /// minutes, so a failed measurement is repeated, up to <paramref name="attempts"/> in all; it fails only when every
    /// one is out of tolerance (a real 10 % difference stays out in each). <paramref name="check"/> asserts each answer.
    /// </summary>
    public static async Task AssertSameTimeAsync(
        Xunit.Abstractions.ITestOutputHelper output,
        string what,
        Func<Task<HttpResponseMessage>> known,
        Func<Task<HttpResponseMessage>> unknown,
        Action<HttpResponseMessage> check,
        int samples = 75,
        int attempts = 3,
        double tolerance = 0.10)
    {
        async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await call();
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            check(response);
            return took;
        }

        for (var i = 0; i < 10; i++)
        {
            // Warm-up: JIT, connections, and the known path's samples the unknown path pads to.
            await TimeAsync(known);
            await TimeAsync(unknown);
        }

        var results = new List<string>();
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var (knownTimes, unknownTimes) = (new List<double>(), new List<double>());
            for (var i = 0; i < samples; i++)
            {
                if (i % 2 == 0)
                {
                    knownTimes.Add(await TimeAsync(known));
                    unknownTimes.Add(await TimeAsync(unknown));
                }
                else
                {
                    unknownTimes.Add(await TimeAsync(unknown));
                    knownTimes.Add(await TimeAsync(known));
                }
            }

            var (mk, mu) = (Median(knownTimes), Median(unknownTimes));
            var difference = Math.Abs(mu - mk) / mk;
            var line = $"{what}: attempt {attempt}, {samples} each, median known {mk:F2} ms, unknown {mu:F2} ms ({difference:P1})";
            output.WriteLine(line);
            results.Add(line);
            if (difference <= tolerance)
            {
                return;
            }
        }

        Assert.Fail($"Medians differ by more than {tolerance:P0} in every attempt:\n{string.Join('\n', results)}");
    }

    [GeneratedRegex("[A-Za-z0-9_-]{32}")]
    private static partial Regex FlowIdInPath();
}
