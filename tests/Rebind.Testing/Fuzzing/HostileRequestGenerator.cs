using System.Globalization;
using System.Text;

namespace Rebind.Testing.Fuzzing;

/// <summary>
/// One generated request. <see cref="Authorization"/> may hold <c>{token}</c>, replaced by a live session token when
/// sent (tokens die when a fuzzed request signs out, so the live one is read at send time).
/// </summary>
public sealed record HostileRequest(
    int Index,
    HostileRoute Route,
    string Method,
    string Path,
    string? Authorization,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    byte[]? Body,
    string BodyKind)
{
    public bool UsesLiveToken => Authorization?.Contains(HostileRequestGenerator.TokenPlaceholder, StringComparison.Ordinal) == true;

    /// <summary>Enough to replay the request by hand: method, path, headers, content type and the start of the body.</summary>
    public string Describe()
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"#{Index} {Method} {Path} (route {Route.Method} {Route.Template}, body {BodyKind})");
        if (Authorization is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  Authorization: {Cut(Authorization, 80)}");
        }
        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  Content-Type: {ContentType}");
        }
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {name}: {Cut(value, 80)}");
        }
        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  body ({Body.Length} bytes): {Cut(Encoding.UTF8.GetString(Body), 300)}");
        }
        return text.ToString();
    }

    /// <summary>At most <paramref name="max"/> characters, control and replacement characters escaped so a log stays readable.</summary>
    private static string Cut(string value, int max)
    {
        var shown = value.Length <= max ? value : value[..max];
        var text = new StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            text.Append(char.IsControl(c) || c == '\ufffd' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return value.Length <= max ? text.ToString() : text + $"…(+{value.Length - max})";
    }
}

/// <summary>
/// Hostile requests from a seed: every route and method the app has plus methods it does not, malformed JSON and
/// wrong types, huge and unicode strings, bad headers and charsets, bad bearer tokens, invalid flow ids and
/// OData-injection-like strings, mixed with well-formed values so requests also get past validation.
/// The same seed, routes and targets give the same requests.
/// </summary>
public sealed class HostileRequestGenerator
{
    public const string TokenPlaceholder = "{token}";

    private static readonly string[] AllMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>Strings that have broken parsers, key builders and filters elsewhere.</summary>
    public static readonly IReadOnlyList<string> HostileStrings =
    [
        "", " ", "   \t\n ", "null", "undefined", "0", "-1", "1e309", "NaN", "true", "[]", "{}",
        "' or 1 eq 1 or '' eq '", "x' or PartitionKey ne 'x", "PartitionKey eq 'a') or (RowKey ne ''", "$filter=true",
        "%27%20or%201%20eq%201", "') or true or ('", "RowKey gt '' and Timestamp ge datetime'2000-01-01T00:00:00Z'",
        "../../etc/passwd", "..\\..\\windows", "/", "#", "?", "\\", "a/b#c?d", "%2F%2E%2E", "%00", "%ZZ",
        "\u0000", "\u0001\u001f\u007f", "\ufeff+8613812345678", "\u202e+8613812345678", "\u200b\u200d",
        "１２３４５６", "١٢٣٤٥٦", "𝟙𝟚𝟛𝟜𝟝𝟞", "😀😀😀", "\ud800", "\udfff\ud800", "Ω≈ç√∫˜µ≤≥÷", "中文字符", "ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}", "%s%s%s%n", "\"", "\\\"", "'", "`",
        "+8613812345678", "+86 138 1234 5678", "13812345678", "+1 (415) 555-2671", "+999999999999999999", "+", "++86",
        "a@b.c", "a@@b", "@", "x@xn--80ak6aa92e.com", "user@[127.0.0.1]", "ä@ö.ü",
        "12345", "abcdef", "1234567", "12 34 56", "12-34-56", "0000000", "-12345", "123456\u0000",
        "CN", "US", "ZZ", "cn", "C", "CHN", "1", "email", "phone", "pigeon",
        "correct-horse-7battery", "short", "password", new string('a', 101),
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json; charset=\"utf-8\"",
        "application/json; charset=bogus", "application/json; charset=", "application/json; charset=utf-16", "application/json; charset=iso-8859-1",
        "application/json; charset=utf-32", "application/json; charset=\"", "application/json;;;", "application/json; charset=utf-8; charset=bogus",
        "application/json; foo=bar", "application/json ; charset = utf-8", "APPLICATION/JSON", "application/problem+json", "application/vnd.api+json",
        "text/json", "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=----x",
        "multipart/form-data", "*/*", "application/", "/json", "garbage", ";", "application/json, text/plain",
    ];

    private static readonly string[] Accepts =
    [
        "*/*", "application/json", "application/problem+json", "text/html", "application/xml", "text/plain;q=0.1",
        "garbage/;;", "application/json;q=0", "text/html, application/xhtml+xml, */*;q=0.8", "image/png",
    ];

    private static readonly string[] Languages =
    [
        "zh-CN", "zh", "zh-Hant-TW;q=0.5", "en-US,en;q=0.9", "*", "xx-INVALID-!!", ";q=abc", ",,,", "zh-CN;q=x,en", "de, zh;q=0.1",
        string.Join(",", Enumerable.Repeat("zh-CN;q=0.9", 300)),
    ];

    private readonly Random random;
    private readonly IReadOnlyList<HostileRoute> routes;
    private readonly IReadOnlyList<string> templates;
    private readonly HostileTargets targets;

    public HostileRequestGenerator(int seed, IReadOnlyList<HostileRoute> routes, HostileTargets targets)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (routes.Count == 0)
        {
            throw new ArgumentException("No routes to fuzz.", nameof(routes));
        }
        random = new Random(seed);
        this.routes = routes;
        this.targets = targets ?? throw new ArgumentNullException(nameof(targets));
        templates = routes.Select(r => r.Template).Distinct().ToList();
    }

    /// <summary>
    /// <paramref name="count"/> requests; the first ones visit every route and method in turn (so each is covered
    /// whatever the count), then every template with a method it does not serve; the rest are drawn at random.
    /// </summary>
    public IEnumerable<HostileRequest> Generate(int count)
    {
        var planned = new List<(HostileRoute Route, string Method)>();
        planned.AddRange(routes.Select(r => (r, r.Method)));
        foreach (var template in templates)
        {
            var served = routes.Where(r => r.Template == template).Select(r => r.Method).ToHashSet();
            var missing = AllMethods.Where(m => !served.Contains(m)).ToList();
            if (missing.Count > 0)
            {
                planned.Add((routes.First(r => r.Template == template), missing[random.Next(missing.Count)]));
            }
        }

        for (var i = 0; i < count; i++)
        {
            var (route, method) = i < planned.Count ? planned[i] : Pick();
            yield return Build(i, route, method);
        }
    }

    private (HostileRoute, string) Pick()
    {
        var route = routes[random.Next(routes.Count)];
        if (random.NextDouble() < 0.12)
        {
            var template = templates[random.Next(templates.Count)];
            var templateRoute = routes.First(r => r.Template == template);
            return (templateRoute, Choose(AllMethods.Append("TRACE").ToArray()));
        }
        return (route, route.Method);
    }

    private HostileRequest Build(int index, HostileRoute route, string method)
    {
        var path = new StringBuilder();
        foreach (var segment in route.Template.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path.Append('/');
            path.Append(segment.StartsWith('{') ? RouteValue(segment.Trim('{', '}').Split(':')[0]) : segment);
        }
        if (route.Template.EndsWith('/') && path.Length > 0)
        {
            path.Append('/');
        }
        path.Append(Query(route));

        var headers = new List<KeyValuePair<string, string>>();
        void Maybe(double p, string name, Func<string> value)
        {
            if (random.NextDouble() < p)
            {
                headers.Add(new(name, value()));
            }
        }

        Maybe(0.3, "Accept", () => Choose(Accepts));
        Maybe(0.3, "Accept-Language", () => Choose(Languages));
        Maybe(0.25, "Idempotency-Key", IdempotencyKey);
        // Spreads the per-IP limits over many "clients", and feeds the header parser garbage.
        Maybe(0.85, "X-Forwarded-For", ForwardedFor);
        Maybe(0.15, "X-Device-Name", () => Choose(["phone", new string('d', 4000), "<b>x</b>", "' or 1 eq 1", "  "]));
        Maybe(0.1, "User-Agent", () => Choose(["curl/8", new string('u', 6000), "()", "Mozilla/5.0 (;;)"]));
        Maybe(0.05, "Content-Encoding", () => Choose(["gzip", "br", "identity", "bogus"]));
        Maybe(0.05, "If-None-Match", () => Choose(["*", "W/\"x\"", "garbage"]));

        var (contentType, body, kind) = Body(route, method);
        return new HostileRequest(index, route, method, path.ToString(), Authorization(route), headers, contentType, body, kind);
    }

    private string RouteValue(string name)
    {
        var roll = random.NextDouble();
        if (name == "id" && roll < 0.55 && targets.Ids.Count > 0)
        {
            return Uri.EscapeDataString(Choose(targets.Ids));
        }
        if (roll < 0.7)
        {
            return RandomFlowIdShape();
        }
        var hostile = Choose(HostileStrings);
        if (hostile.Length == 0)
        {
            return "%20";
        }
        // Mostly escaped; sometimes raw, so '/', '?', '#' and '%' reach the router as they are.
        var value = random.NextDouble() < 0.8 ? Uri.EscapeDataString(hostile) : hostile;
        // Kestrel refuses a path with a NUL in it before the app runs (an empty 400, not an app-level answer).
        return value.Contains('\0') || value.Contains("%00", StringComparison.Ordinal) ? RandomFlowIdShape() : value;
    }

    private string Query(HostileRoute route)
    {
        var parts = new List<string>();
        foreach (var name in route.Query)
        {
            if (random.NextDouble() < 0.75)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(QueryValue(name)));
            }
        }
        if (random.NextDouble() < 0.1)
        {
            parts.Add(Choose(["$filter=PartitionKey%20ne%20''", "limit=1&limit=2", "to=%2B8613812345678&to=x", "x=%ZZ", "=", "&&", "a[]=1", "%00=%00"]));
        }
        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }

    private string QueryValue(string name) => name switch
    {
        "limit" => Choose(["1", "20", "100", "101", "0", "-1", "abc", "1.5", "2147483648", "100000", "", " 5", "0x10", "٣"]),
        "cursor" => Choose([
            "", "garbage", targets.CursorLike, "0000000000000000000|00000000", "9999999999999999999|ffffffff",
            "' or RowKey gt '", new string('9', 3000), "history|x"]),
        _ => random.NextDouble() < 0.5 ? ValidFor(name) : Choose(HostileStrings),
    };

    private string? Authorization(HostileRoute route)
    {
        var roll = random.NextDouble();
        var live = route.RequiresAuth ? 0.6 : 0.2;
        if (roll < live)
        {
            return "Bearer " + TokenPlaceholder;
        }
        if (roll < live + 0.2)
        {
            return null;
        }
        return Choose([
            "Bearer", "Bearer ", "Bearer x", "Bearer " + new string('A', 4000), "Basic dXNlcjpwYXNz", "bearer " + TokenPlaceholder,
            "Bearer " + TokenPlaceholder + "x", "Bearer " + TokenPlaceholder + " extra", "Bearer  " + TokenPlaceholder + "  ",
            "Bearer ' or 1 eq 1 or ''='", "Bearer %00", "Bearer a/b#c?d", "Negotiate abc", "Bearer Bearer x", "Token x", ",,,",
            "Bearer " + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"alg\":\"none\"}")) + ".e30.",
        ]);
    }

    private (string? ContentType, byte[]? Body, string Kind) Body(HostileRoute route, string method)
    {
        var wantsBody = route.Body is not null && route.Method == method;
        if (!wantsBody && random.NextDouble() < 0.75)
        {
            return (null, null, "none");
        }

        var contentType = random.NextDouble() < 0.65 ? Choose(["application/json", "application/json; charset=utf-8"]) : (random.NextDouble() < 0.9 ? Choose(ContentTypes) : null);
        var fields = route.Body ?? [new BodyField("x", BodyFieldKind.Text)];
        var roll = random.NextDouble();
        (byte[] bytes, string kind) = roll switch
        {
            < 0.40 => (Utf8(WellShaped(fields, depth: 0)), "shaped"),
            < 0.55 => (Utf8(WrongTypes(fields)), "wrong-types"),
            < 0.62 => (Utf8(Choose(["{}", "[]", "null", "true", "42", "\"x\"", "{\"\":null}", "{\"__proto__\":{}}"])), "not-an-object"),
            < 0.72 => (Utf8(Broken(fields)), "broken-json"),
            < 0.77 => (Utf8(new string('[', 2000) + new string(']', 2000)), "deep"),
            < 0.82 => (Bytes(), "bad-bytes"),
            < 0.86 => ([], "empty"),
            < 0.90 => (Utf8(Huge(fields, 70_000)), "too-large"),
            < 0.94 => (Utf8(Huge(fields, 60_000)), "large-field"),
            < 0.97 => (Utf8("phone=%2B8613812345678&code=123456"), "form"),
            _ => (Utf8(Duplicated(fields)), "duplicate-keys"),
        };
        return (contentType, bytes, kind);
    }

    private string WellShaped(IReadOnlyList<BodyField> fields, int depth)
    {
        var members = new List<string>();
        foreach (var field in fields)
        {
            if (random.NextDouble() < 0.15)
            {
                continue;
            }
            members.Add(Json(field.Name) + ":" + Value(field, depth));
        }
        if (random.NextDouble() < 0.1)
        {
            members.Add(Json(Choose(HostileStrings)) + ":" + Json(Choose(HostileStrings)));
        }
        return "{" + string.Join(",", members) + "}";
    }

    private string Value(BodyField field, int depth) => field.Kind switch
    {
        BodyFieldKind.Text => random.NextDouble() < 0.5 ? Json(ValidFor(field.Name)) : random.NextDouble() < 0.9 ? Json(Choose(HostileStrings)) : "null",
        BodyFieldKind.Number => Choose(["0", "1", "-1", "1e309", "2147483648", "\"1\"", "null"]),
        BodyFieldKind.Boolean => Choose(["true", "false", "\"true\"", "1", "null"]),
        BodyFieldKind.TextArray => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Json(Choose(HostileStrings)))) + "]",
        BodyFieldKind.ObjectArray => random.NextDouble() < 0.1
            ? Choose(["[]", "[null]", "null", "[1,2]", "[[]]", "[{}]", "[" + string.Join(",", Enumerable.Repeat("{}", 50)) + "]"])
            : "[" + string.Join(",", Enumerable.Range(0, random.Next(1, 5)).Select(_ => depth < 3 ? WellShaped(field.Items ?? [], depth + 1) : "{}")) + "]",
        _ => depth < 3 ? WellShaped(field.Items ?? [], depth + 1) : "{}",
    };

    private string WrongTypes(IReadOnlyList<BodyField> fields) =>
        "{" + string.Join(",", fields.Select(f => Json(f.Name) + ":" + Choose(["12345", "-0", "1e400", "true", "[]", "{}", "[\"+8613812345678\"]", "{\"value\":\"x\"}", "123456", "\"x\"", "null", "[null]", "[1]"]))) + "}";

    private string Broken(IReadOnlyList<BodyField> fields)
    {
        var name = Json(fields.Count > 0 ? fields[random.Next(fields.Count)].Name : "x");
        return Choose([
            "{", "}", "{" + name, "{" + name + ":", "{" + name + ":\"abc", "{" + name + ":\"a\",}", "{'" + name.Trim('"') + "':'a'}",
            "{" + name + ":\"a\"} trailing", "{" + name + ":undefined}", "{" + name + ":NaN}", "{" + name + ":\"\\x41\"}", "{" + name + ":\"\\u12\"}",
            "{" + name + ":\"a\" /* c */}", "{\"a\":1 \"b\":2}", "\"unterminated", "nul", "{\"a\":01}", "{" + name + ":\"line\nbreak\"}",
        ]);
    }

    private string Duplicated(IReadOnlyList<BodyField> fields)
    {
        var field = fields.Count > 0 ? fields[random.Next(fields.Count)] : new BodyField("x", BodyFieldKind.Text);
        return "{" + Json(field.Name) + ":" + Json(ValidFor(field.Name)) + "," + Json(field.Name) + ":" + Json(Choose(HostileStrings)) + "}";
    }

    private string Huge(IReadOnlyList<BodyField> fields, int size)
    {
        var name = fields.FirstOrDefault(f => f.Kind == BodyFieldKind.Text)?.Name ?? "x";
        var unit = Choose(["a", "9", "中", "😀", "\\u0000", "' or 1 eq 1 "]);
        var repeat = new StringBuilder(size + 16);
        while (repeat.Length < size)
        {
            repeat.Append(unit);
        }
        return "{" + Json(name) + ":\"" + repeat + "\"}";
    }

    private byte[] Bytes() => Choose<byte[]>([
        [0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00],
        [0xef, 0xbb, 0xbf, (byte)'{', (byte)'}'],
        [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xc3, 0x28, (byte)'"', (byte)'}'],
        [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xed, 0xa0, 0x80, (byte)'"', (byte)'}'],
        [0x00, 0x00, 0x00, 0x00],
        [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00],
        Enumerable.Range(0, 512).Select(i => (byte)((i * 7919) & 0xff)).ToArray(),
    ]);

    /// <summary>A value that passes the field's own checks often enough to reach the flows behind them.</summary>
    private string ValidFor(string field) => field.ToLowerInvariant() switch
    {
        "phone" or "to" => targets.RandomPhone(random),
        "identifier" => random.NextDouble() < 0.5 ? targets.RandomPhone(random) : targets.RandomEmail(random),
        "email" => targets.RandomEmail(random),
        "code" => random.Next(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture),
        "cancelcode" => RandomFlowIdShape() + "." + RandomFlowIdShape()[..16],
        "password" => Choose(["correct-horse-7battery", "meadow9lantern-K", "short", "password123", "x"]),
        "region" => Choose(["CN", "US", "GB", "cn"]),
        "verifyby" => Choose(["email", "phone"]),
        "questionid" => Choose(targets.QuestionIds.Count > 0 ? targets.QuestionIds : ["q1"]),
        "question" => Choose(["Your first pet?", "City of birth?", "Favourite teacher?"]),
        "answer" => Choose(["Mimi", "Beijing", "Ms Li"]),
        "devicename" => "Fuzz phone",
        _ => Choose(HostileStrings),
    };

    private string IdempotencyKey() => Choose([
        "fuzz-" + random.Next(0, 8).ToString(CultureInfo.InvariantCulture), RandomFlowIdShape(), new string('k', 300), "   ", "'; drop table", "%D0%BA%D0%BB",
        new string('k', 255),
    ]);

    private string ForwardedFor()
    {
        var ip = $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
        return Choose([ip, ip, ip, "garbage", ip + ", 999.999.999.999", "::1", "2001:db8::" + random.Next(1, 9999).ToString("x", CultureInfo.InvariantCulture), "unknown, " + ip, ",,,", new string('1', 2000)]);
    }

    private string RandomFlowIdShape()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return new string(Enumerable.Range(0, 32).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    private T Choose<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private string Json(string value)
    {
        // Non-ASCII as \u escapes half of the time (lone surrogates can only travel that way), else raw UTF-8.
        var escapeAll = random.NextDouble() < 0.5;
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c == '"' || c == '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < ' ' || (c > '~' && (escapeAll || char.IsSurrogate(c))))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }
        return text.Append('"').ToString();
    }

    private static byte[] Utf8(string text) => new UTF8Encoding(false, false).GetBytes(text);
}

/// <summary>Ids and values the fuzzer aims at: live flows in various states, sessions, question ids.</summary>
public sealed class HostileTargets
{
    /// <summary>Values for <c>{id}</c>: flow ids (and session ids) that exist.</summary>
    public List<string> Ids { get; } = [];

    public List<string> QuestionIds { get; } = [];

    /// <summary>A well-formed activity cursor (most likely past the end).</summary>
    public string CursorLike { get; set; } = "0000000000000000001|0000abcd";

    public string RandomPhone(Random random) => "+86137" + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    public string RandomEmail(Random random) => "fuzz" + random.Next(0, 1000).ToString(CultureInfo.InvariantCulture) + "@example.com";
}
