using System.Text.Json;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

/// <summary>The OpenAPI document says what the app does: optional members optional, integers integers, every problem listed.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task OpenApi_RequestsWithRegion_MarkRegionOptional()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        foreach (var (name, required) in new[]
        {
            ("SignUpRequest", "phone"), ("PhoneRequest", "phone"), ("BindPhoneRequest", "phone"), ("SignInPageRequest", "identifier"),
        })
        {
            var schema = schemas.GetProperty(name);
            Assert.True(schema.GetProperty("properties").TryGetProperty("region", out _), name);
            var requiredMembers = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()).ToList() : [];
            Assert.DoesNotContain("region", requiredMembers);
            Assert.Contains(required, requiredMembers);
        }
    }

    [Fact]
    public async Task OpenApi_Counts_AreTypedIntegerNotString()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        Assert.Equal(["integer", "null"], Types(schemas.GetProperty("FlowView").GetProperty("properties").GetProperty("attemptsLeft")));
        Assert.Equal(["integer"], Types(schemas.GetProperty("MeResponse").GetProperty("properties").GetProperty("securityQuestions")));
        Assert.Equal(["integer"], Types(schemas.GetProperty("EndOthersResponse").GetProperty("properties").GetProperty("ended")));
        var mixed = schemas.EnumerateObject()
            .SelectMany(s => s.Value.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(m => (Name: $"{s.Name}.{m.Name}", m.Value)) : [])
            .Where(m => Types(m.Value) is var t && (t.Contains("integer") || t.Contains("number")) && t.Contains("string"))
            .Select(m => m.Name)
            .ToList();
        Assert.Empty(mixed);
    }

    [Fact]
    public async Task OpenApi_EveryOperation_ListsItsProblemsWithTheirCodes()
    {
        var doc = await DocumentAsync();
        var paths = doc.GetProperty("paths");

        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses");
                var problem = responses.GetProperty("500").GetProperty("content").GetProperty(OpenApiConformance.ProblemContentType).GetProperty("schema");
                Assert.Contains("#/components/schemas/Problem", problem.GetRawText());
            }
        }
        var signUp = paths.GetProperty("/api/signup").GetProperty("post");
        Assert.Equal(
            ["attestation_required", "bad_request", "invalid_phone", "malformed_json", "phone_cannot_receive_sms", "phone_region_not_supported", "validation_failed"],
            Codes(signUp, "400"));
        Assert.Equal(["attestation_failed"], Codes(signUp, "403"));
        Assert.Equal(["rate_limited"], Codes(signUp, "429"));
        Assert.Equal(["sms_budget_exhausted", "storage_unavailable"], Codes(signUp, "503"));
        Assert.True(signUp.GetProperty("responses").GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.Contains(signUp.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "X-Attestation-Token" && p.GetProperty("in").GetString() == "header");
        Assert.Equal(["idempotency_key_reused"], Codes(signUp, "422"));
        Assert.True(signUp.GetProperty("responses").GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.Contains(signUp.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        Assert.Contains("invalid_credentials", Codes(paths.GetProperty("/api/auth/sign-in").GetProperty("post"), "401"));
        Assert.Equal(["reauthentication_required", "unauthorized"], Codes(paths.GetProperty("/api/me/phone/change").GetProperty("post"), "401"));
        var noAccess = paths.GetProperty("/api/recovery/no-access").GetProperty("post").GetProperty("responses");
        Assert.False(noAccess.TryGetProperty("200", out _));
        Assert.Equal(["recovery_requires_support"], Codes(paths.GetProperty("/api/recovery/no-access").GetProperty("post"), "409"));
        Assert.Equal(["flow_not_found"], Codes(paths.GetProperty("/api/flows/{id}").GetProperty("get"), "404"));
    }

    /// <summary>The conformance check itself: it must catch each kind of disagreement, or a pass means nothing.</summary>
    [Fact]
    public async Task Conformance_UndeclaredStatusCodeTypeOrBody_AreReported()
    {
        await using var app = await TestApp.StartAsync();
        var conformance = new OpenApiConformance(await app.Client.GetStringAsync("/api/openapi.json"));
        const string problem = "application/problem+json";
        const string flow = """{"flowId":"f","kind":"signup_phone","state":"awaiting_code","next":"code","expiresAt":"2026-01-01T00:00:00+00:00","resendAvailableAt":null,"codeExpiresAt":null,"attemptsLeft":5,"destination":null,"outcome":null}""";

        Assert.Null(conformance.CheckOne(Observed("GetFlow", 200, "application/json; charset=utf-8", flow)));
        Assert.Null(conformance.CheckOne(Observed("StartSignUp", 400, problem, """{"status":400,"title":"invalid_phone","code":"invalid_phone","field":"phone"}""")));
        Assert.Null(conformance.CheckOne(Observed("SignOut", 204, null, "")));

        Assert.Contains("not in the document", conformance.CheckOne(Observed("NoSuchOperation", 200, null, "")));
        Assert.Contains("status not declared", conformance.CheckOne(Observed("StartSignUp", 418, problem, """{"status":418,"code":"teapot"}""")));
        Assert.Contains("code flow_not_found not declared", conformance.CheckOne(Observed("StartSignUp", 400, problem, """{"status":400,"code":"flow_not_found"}""")));
        Assert.Contains("content type text/html not declared", conformance.CheckOne(Observed("GetFlow", 200, "text/html", "<p>")));
        Assert.Contains("does not match the schema", conformance.CheckOne(Observed("GetFlow", 200, "application/json", flow.Replace("\"attemptsLeft\":5", "\"attemptsLeft\":\"5\""))));
        Assert.Contains("does not match the schema", conformance.CheckOne(Observed("GetFlow", 200, "application/json", """{"flowId":"f"}""")));
        Assert.Contains("does not match the schema", conformance.CheckOne(Observed("StartSignUp", 400, problem, """{"status":"400","code":"invalid_phone"}""")));
        Assert.Contains("declares no body", conformance.CheckOne(Observed("SignOut", 204, "application/json", "{}")));
    }

    /// <summary>
    /// The recorder keeps what the client received, also for problems written outside the handler (exception handler,
    /// authentication challenge), where the endpoint must still be known.
    /// </summary>
    [Fact]
    public async Task Recorder_ProblemAnswers_KeptWithOperationStatusTypeAndBody()
    {
        await using var app = await TestApp.StartAsync();
        var conformance = new OpenApiConformance(await app.Client.GetStringAsync("/api/openapi.json"));

        var invalid = await app.Client.PostAsync("/api/signup", Json("""{"phone":"12"}"""));
        var malformed = await app.Client.PostAsync("/api/signup", Json("""{"phone":"""));
        var challenged = await app.Client.GetAsync("/api/me");

        foreach (var (response, operation, code) in new[] { (invalid, "StartSignUp", "invalid_phone"), (malformed, "StartSignUp", "malformed_json"), (challenged, "GetMe", "unauthorized") })
        {
            var body = await response.Content.ReadAsStringAsync();
            var traceId = JsonDocument.Parse(body).RootElement.GetProperty("traceId").GetString()!;
            var seen = Assert.Single(ObservedResponses.Snapshot(), o => o.Body?.Contains(traceId, StringComparison.Ordinal) == true);
            Assert.Equal(operation, seen.OperationId);
            Assert.Equal((int)response.StatusCode, seen.Status);
            Assert.StartsWith(OpenApiConformance.ProblemContentType, seen.ContentType);
            Assert.Equal(body, seen.Body);
            Assert.Contains($"\"code\":\"{code}\"", seen.Body);
            Assert.Null(conformance.CheckOne(seen));
        }
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static ObservedResponse Observed(string operationId, int status, string? contentType, string? body) =>
        new(operationId, "X", "/test", status, contentType, body);

    private static async Task<JsonElement> DocumentAsync()
    {
        await using var app = await TestApp.StartAsync();
        return JsonDocument.Parse(await app.Client.GetStringAsync("/api/openapi.json")).RootElement.Clone();
    }

    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).Order().ToList()
        : [type.GetString()!];

    private static List<string> Codes(JsonElement operation, string status) =>
        OpenApiConformance.DeclaredCodes(System.Text.Json.Nodes.JsonNode.Parse(
            operation.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty(OpenApiConformance.ProblemContentType).GetProperty("schema").GetRawText())!)
        .Order(StringComparer.Ordinal).ToList();
}
