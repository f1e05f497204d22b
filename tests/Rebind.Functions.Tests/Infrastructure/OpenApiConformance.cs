using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>
/// Checks answers the app gave against its OpenAPI document: the operation exists, the status is declared, the
/// content type is declared, the body validates against the declared schema (JSON Schema 2020-12, which OpenAPI
/// 3.1 uses, by JsonSchema.Net), and a problem uses the <c>Problem</c> schema with a <c>code</c> the operation
/// lists for that status.
/// </summary>
public sealed class OpenApiConformance
{
    public const string ProblemContentType = "application/problem+json";
    private const string ComponentsPrefix = "#/components/schemas/";

    private readonly Dictionary<string, Operation> operations = new(StringComparer.Ordinal);
    private readonly JsonObject definitions;
    private readonly Dictionary<string, JsonSchema> schemas = new(StringComparer.Ordinal);

    public OpenApiConformance(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        definitions = root["components"]?["schemas"]?.DeepClone().AsObject() ?? [];
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation?["operationId"]?.GetValue<string>() is { } id)
                {
                    operations[id] = new Operation($"{method.ToUpperInvariant()} {path}", operation.AsObject());
                }
            }
        }
    }

    public IReadOnlyCollection<string> OperationIds => operations.Keys;

    /// <summary>Every disagreement between <paramref name="observed"/> and the document, each once.</summary>
    public IReadOnlyList<string> Check(IEnumerable<ObservedResponse> observed)
    {
        var failures = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var response in observed)
        {
            if (CheckOne(response) is { } failure)
            {
                failures.Add(failure);
            }
        }
        return failures.ToList();
    }

    /// <summary>Declared (operation, status) pairs no observation covered: what the tests never exercised.</summary>
    public IReadOnlyList<string> Unobserved(IEnumerable<ObservedResponse> observed)
    {
        var seen = observed.Select(o => (o.OperationId, o.Status.ToString(CultureInfo.InvariantCulture))).ToHashSet();
        return operations
            .SelectMany(o => (o.Value.Node["responses"]?.AsObject() ?? []).Select(r => (o.Key, o.Value.Name, Status: r.Key)))
            .Where(r => !seen.Contains((r.Key, r.Status)))
            .Select(r => $"{r.Name} ({r.Key}) {r.Status}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Null when <paramref name="observed"/> agrees with the document, else why not.</summary>
    public string? CheckOne(ObservedResponse observed)
    {
        if (!operations.TryGetValue(observed.OperationId, out var operation))
        {
            return $"{observed.Operation}: the operation is not in the document";
        }

        var status = observed.Status.ToString(CultureInfo.InvariantCulture);
        var at = $"{operation.Name} ({observed.OperationId}) {status}";
        if (operation.Node["responses"]?[status] is not JsonObject response)
        {
            return $"{at}{CodeSuffix(observed)}: status not declared (declared: {string.Join(", ", operation.Node["responses"]?.AsObject().Select(r => r.Key) ?? [])})";
        }

        var mediaType = observed.ContentType?.Split(';')[0].Trim();
        var content = response["content"] as JsonObject;
        if (content is null || content.Count == 0)
        {
            return observed.Body is "" ? null : $"{at}: the document declares no body, the app sent one ({mediaType})";
        }
        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            return $"{at}{CodeSuffix(observed)}: content type {mediaType ?? "(none)"} not declared (declared: {string.Join(", ", content.Select(c => c.Key))})";
        }
        if (observed.Body is null || media["schema"] is not JsonNode schema)
        {
            return null; // too long to keep, or no schema to check against
        }

        JsonElement body;
        try
        {
            body = JsonDocument.Parse(observed.Body).RootElement;
        }
        catch (JsonException)
        {
            return $"{at}: the body is not JSON: {Abbreviate(observed.Body)}";
        }

        if (mediaType == ProblemContentType)
        {
            var codes = DeclaredCodes(schema);
            if (!schema.ToJsonString().Contains($"\"{ComponentsPrefix}Problem\"", StringComparison.Ordinal))
            {
                return $"{at}: the problem answer is not declared with the Problem schema";
            }
            var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var c) ? c.ToString() : null;
            if (code is null || !codes.Contains(code))
            {
                return $"{at}: code {code ?? "(none)"} not declared (declared: {string.Join(", ", codes)})";
            }
        }

        var key = $"{observed.OperationId} {status} {mediaType}";
        if (!schemas.TryGetValue(key, out var compiled))
        {
            compiled = schemas[key] = Compile(schema);
        }
        var result = compiled.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? null
            : $"{at} {mediaType}: the body does not match the schema ({Errors(result)}): {Abbreviate(observed.Body)}";
    }

    /// <summary>The <c>code</c> enum of a problem schema (in <c>allOf</c>, as OpenApiSetup writes it).</summary>
    public static IReadOnlyList<string> DeclaredCodes(JsonNode schema) =>
        (schema["allOf"]?.AsArray() ?? [schema])
            .SelectMany(s => s?["properties"]?["code"]?["enum"]?.AsArray() ?? [])
            .Select(v => v!.GetValue<string>())
            .ToList();

    /// <summary>The response schema with every component beside it as <c>$defs</c>, so its <c>$ref</c>s resolve.</summary>
    private JsonSchema Compile(JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = definitions.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace($"\"{ComponentsPrefix}", "\"#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://rebind.test/schemas/{Guid.NewGuid():N}"));
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Distinct()
            .Take(5));

    private static string CodeSuffix(ObservedResponse observed)
    {
        if (observed.Body is not { Length: > 0 } body || !(observed.ContentType ?? "").StartsWith(ProblemContentType, StringComparison.Ordinal))
        {
            return string.Empty;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("code", out var code) ? $" {code}" : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static string Abbreviate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record Operation(string Name, JsonObject Node);
}
