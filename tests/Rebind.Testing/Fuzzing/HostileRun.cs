using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Rebind.Testing.Fuzzing;

/// <summary>
/// Runs the seeded hostile requests against a running app and tallies the answers: every app-level error must be
/// <c>application/problem+json</c> with a <c>code</c> and the response's <c>status</c>, and nothing may be a 5xx.
/// Shared by the test (2,000 requests) and the benchmark's <c>fuzz</c> command (10,000).
/// </summary>
public static class HostileRun
{
    public const int DefaultSeed = 20260415;

    /// <summary>Names the seed (and the request count) a failing run printed, to replay it.</summary>
    public const string SeedVariable = "REBIND_FUZZ_SEED";

    public const string RequestsVariable = "REBIND_FUZZ_REQUESTS";

    public static int SeedFromEnvironment(int fallback = DefaultSeed) =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : fallback;

    public static int RequestsFromEnvironment(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(RequestsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    /// <param name="services">The app's services, for its <c>EndpointDataSource</c>.</param>
    /// <param name="http">A client whose base address is the app.</param>
    public static async Task<HostileReport> RunAsync(
        IServiceProvider services, HttpClient http, int seed, int count, int parallelism = 4, CancellationToken cancellationToken = default)
    {
        var routes = HostileRoutes.From(services);
        var session = new HostileSession(http, new Random(seed));
        await session.PrepareAsync(cancellationToken);
        var requests = new HostileRequestGenerator(seed, routes, session.Targets).Generate(count).ToList();

        var report = new HostileReport(seed, routes);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (request, ct) =>
        {
            var token = session.Token;
            var (status, contentType, body) = await SendAsync(http, request, token, ct);
            report.Record(request, status, contentType, body);
            if (status == 401 && request.UsesLiveToken)
            {
                await session.RefreshAsync(token, ct);
            }
        });
        report.Elapsed = started.Elapsed;
        report.SetupRequests = session.SetupRequests;
        report.Refreshes = session.Refreshes;
        return report;
    }

    private static bool IsContentHeader(string name) => name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Sends, once more when the connection failed, then on a connection of its own: a pooled connection the server
    /// closed after an earlier answer (e.g. a 413 before the body was read) can fail the next request on it without
    /// the server having seen it, and a retry through the same pool can meet another such connection (it did, about one
    /// run in five). A failure on a new connection is the server's.
    /// </summary>
    private static async Task<(int Status, string? ContentType, string Body)> SendAsync(HttpClient http, HostileRequest spec, string token, CancellationToken cancellationToken)
    {
        var first = await SendOnceAsync(http, spec, token, cancellationToken);
        if (first.Status != HostileReport.ConnectionDropped)
        {
            return first;
        }
        using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = http.BaseAddress, Timeout = http.Timeout };
        foreach (var header in http.DefaultRequestHeaders)
        {
            fresh.DefaultRequestHeaders.TryAddWithoutValidation(header.Key, header.Value);
        }
        return await SendOnceAsync(fresh, spec, token, cancellationToken);
    }

    private static async Task<(int Status, string? ContentType, string Body)> SendOnceAsync(HttpClient http, HostileRequest spec, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(spec.Method), new Uri(spec.Path, UriKind.Relative));
        if (spec.Authorization is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Replace(HostileRequestGenerator.TokenPlaceholder, token, StringComparison.Ordinal));
        }
        foreach (var (name, value) in spec.Headers.Where(h => !IsContentHeader(h.Key)))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (spec.Body is not null)
        {
            request.Content = new ByteArrayContent(spec.Body);
            request.Content.Headers.Remove("Content-Type");
            if (spec.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", spec.ContentType);
            }
            foreach (var (name, value) in spec.Headers.Where(h => IsContentHeader(h.Key)))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (HttpRequestException e)
        {
            // The server dropped the connection instead of answering: as bad as a 5xx (it is what an unhandled throw looks like).
            return (HostileReport.ConnectionDropped, null, e.InnerException?.Message ?? e.Message);
        }
    }
}

/// <summary>Counts by status and code, the 5xx and non-problem errors (with replayable descriptions), route coverage.</summary>
public sealed class HostileReport(int seed, IReadOnlyList<HostileRoute> routes)
{
    /// <summary>The status recorded when the server dropped the connection instead of answering; counted as a 5xx.</summary>
    public const int ConnectionDropped = 599;

    private const int MaxSamples = 20;
    private readonly ConcurrentDictionary<string, int> byStatusAndCode = new();
    private readonly ConcurrentDictionary<string, int> byRoute = new();
    private readonly ConcurrentDictionary<string, string> firstOf = new();
    private readonly ConcurrentDictionary<string, int> pastAuth = new();
    private readonly ConcurrentQueue<string> failures = new();
    private int total;
    private int serverErrors;
    private int nonProblemErrors;

    public int Seed { get; } = seed;

    public IReadOnlyList<HostileRoute> Routes { get; } = routes;

    public int Total => total;

    public int ServerErrors => serverErrors;

    /// <summary>4xx/5xx answers that are not <c>application/problem+json</c> with a <c>code</c> and a matching <c>status</c>.</summary>
    public int NonProblemErrors => nonProblemErrors;

    public IReadOnlyCollection<string> Failures => failures;

    public IReadOnlyDictionary<string, int> ByStatusAndCode => byStatusAndCode;

    /// <summary>Requests per "METHOD template" (the route's own methods only).</summary>
    public IReadOnlyDictionary<string, int> ByRoute => byRoute;

    /// <summary>Requests with a live token that a route needing a session did not answer 401.</summary>
    public IReadOnlyDictionary<string, int> PastAuth => pastAuth;

    public TimeSpan Elapsed { get; internal set; }

    public int SetupRequests { get; internal set; }

    public int Refreshes { get; internal set; }

    internal void Record(HostileRequest request, int status, string? contentType, string body)
    {
        Interlocked.Increment(ref total);
        var key = request.Method == request.Route.Method ? $"{request.Route.Method} {request.Route.Template}" : null;
        if (key is not null)
        {
            byRoute.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (request.Route.RequiresAuth && request.UsesLiveToken && status != 401)
            {
                pastAuth.AddOrUpdate(key, 1, (_, n) => n + 1);
            }
        }

        string? code = null;
        string? problem = null;
        if (status >= 400)
        {
            problem = ProblemIssue(request.Method, status, contentType, body, out code);
        }
        var label = status < 400 ? "-" : code ?? (problem is null ? "(HEAD, no body)" : "(none)");
        byStatusAndCode.AddOrUpdate($"{status} {label}", 1, (_, n) => n + 1);
        firstOf.TryAdd($"{status} {label}", request.Describe());

        if (status >= 500)
        {
            Interlocked.Increment(ref serverErrors);
        }
        if (problem is not null)
        {
            Interlocked.Increment(ref nonProblemErrors);
        }
        if ((status >= 500 || problem is not null) && failures.Count < MaxSamples)
        {
            failures.Enqueue($"{status} {problem ?? code}: {request.Describe()}\n  → {(body.Length > 300 ? body[..300] : body)}");
        }
    }

    /// <summary>Null when the error is proper problem+json; else what is wrong with it.</summary>
    private static string? ProblemIssue(string method, int status, string? contentType, string body, out string? code)
    {
        code = null;
        if (contentType != "application/problem+json")
        {
            return $"content type {contentType ?? "(none)"}, not application/problem+json";
        }
        if (method == "HEAD")
        {
            return null;
        }
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            code = json.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (code is null)
            {
                return "no code member";
            }
            if (!json.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.Number || s.GetInt32() != status)
            {
                return "status member missing or not the response's";
            }
            return null;
        }
        catch (JsonException)
        {
            return "body is not JSON";
        }
    }

    /// <summary>What the benchmark prints and the test logs.</summary>
    /// <param name="samples">Also the first request that got each status and code.</param>
    public string Summary(bool samples = false)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"hostile input: seed {Seed} ({HostileRun.SeedVariable}), {Total} requests over {Routes.Count} route methods in {Elapsed.TotalSeconds:F1} s (+{SetupRequests} setup requests, {Refreshes} session refreshes)");
        text.AppendLine(CultureInfo.InvariantCulture, $"5xx: {ServerErrors}; errors not problem+json: {NonProblemErrors}");
        text.AppendLine("by status and code:");
        foreach (var (key, n) in byStatusAndCode.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {key,-40} {n,6}");
        }
        if (samples)
        {
            foreach (var (key, request) in firstOf.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"first {key}: {request}");
            }
        }
        foreach (var failure in failures)
        {
            text.AppendLine("FAILURE " + failure);
        }
        return text.ToString();
    }
}
