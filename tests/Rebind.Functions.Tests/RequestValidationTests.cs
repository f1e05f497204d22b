using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// Hostile and sloppy requests: unknown charsets, any Accept, codes that cannot be codes, and the one rule for a
/// missing or malformed field (400 validation_failed with field, before any lookup). Each test is a finding of the
/// hostile-input run (<see cref="HostileInputTests"/>) or an item of the issue.
/// </summary>
public sealed class RequestValidationTests
{
    private static Task<HttpResponseMessage> PostRawAsync(TestApp app, string path, string body, string contentType, string? token = null, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return app.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=utf-8; charset=latin1")]
    public async Task JsonEndpoints_CharsetNotUtf8_Return415UnsupportedMediaType(string contentType)
    {
        await using var app = await TestApp.StartAsync();
        var flowId = await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());

        await ProblemAssert.IsProblem(await PostRawAsync(app, "/api/signup", $"{{\"phone\":\"{FlowClient.NewPhone()}\"}}", contentType), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await ProblemAssert.IsProblem(await PostRawAsync(app, "/api/password/reset", "{\"identifier\":\"a@example.com\"}", contentType), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await ProblemAssert.IsProblem(await PostRawAsync(app, $"/api/flows/{flowId}/code", "{\"code\":\"123456\"}", contentType), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await ProblemAssert.IsProblem(await PostRawAsync(app, "/api/auth/sign-in", "{\"identifier\":\"a@example.com\",\"password\":\"x\"}", contentType), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Equal(5, (await new FlowClient(app.Client).GetFlowAsync(flowId)).GetProperty("attemptsLeft").GetInt32());
    }

    [Fact]
    public async Task StartSignUp_QuotedUtf8Charset_Accepted()
    {
        await using var app = await TestApp.StartAsync();

        var response = await PostRawAsync(app, "/api/signup", $"{{\"phone\":\"{FlowClient.NewPhone()}\"}}", "application/json; charset=\"UTF-8\"");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("image/png")]
    [InlineData("application/xml")]
    public async Task Errors_AcceptWithoutJson_StillProblemJson(string accept)
    {
        await using var app = await TestApp.StartAsync();

        await ProblemAssert.IsProblem(await PostRawAsync(app, "/api/signup", "{\"phone\":", "application/json", accept: accept), HttpStatusCode.BadRequest, "malformed_json");
        await ProblemAssert.IsProblem(await PostRawAsync(app, "/api/signup", "phone=1", "text/plain", accept: accept), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await ProblemAssert.IsProblem(await PostRawAsync(app, "/api/me/email/bind", "{}", "application/json", token: "nonsense", accept: accept), HttpStatusCode.Unauthorized, "unauthorized");
        using var notFound = new HttpRequestMessage(HttpMethod.Get, "/api/no/such/thing");
        notFound.Headers.TryAddWithoutValidation("Accept", accept);
        await ProblemAssert.IsProblem(await app.Client.SendAsync(notFound), HttpStatusCode.NotFound, "not_found");
        using var wrongMethod = new HttpRequestMessage(HttpMethod.Patch, "/api/signup");
        wrongMethod.Headers.TryAddWithoutValidation("Accept", accept);
        await ProblemAssert.IsProblem(await app.Client.SendAsync(wrongMethod), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task OpenApi_UnknownDocumentName_404ProblemWithoutEcho()
    {
        await using var app = await TestApp.StartAsync();

        var problem = await ProblemAssert.IsProblem(await app.Client.GetAsync("/api/openapi.json?documentName=%3Cscript%3E"), HttpStatusCode.NotFound, "not_found");

        Assert.DoesNotContain("script", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/openapi.json")).StatusCode);
    }

    [Fact]
    public async Task SubmitCode_ValuesThatCannotBeCodes_400ValidationFailedAndCostNoAttempt()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);

        foreach (var malformed in new[] { "12345", "abcdef", "1234567", "12345a", "１２３４５", "+123456", new string('1', 40) })
        {
            var problem = await ProblemAssert.IsProblem(await flows.SubmitCodeAsync(flowId, malformed), HttpStatusCode.BadRequest, "validation_failed");
            Assert.Equal("code", problem.GetProperty("field").GetString());
        }

        Assert.Equal(5, (await flows.GetFlowAsync(flowId)).GetProperty("attemptsLeft").GetInt32());
        // Spaces and full-width digits stay normalized: the right code typed that way still verifies.
        var right = await flows.LatestCodeAsync(phone);
        var fullWidth = string.Concat(right.Select(c => (char)('０' + (c - '0'))));
        var confirmed = await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, fullWidth[..3] + " " + fullWidth[3..]));
        Assert.Equal("awaiting_password", confirmed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task SubmitCode_WellFormedWrongCode_StillCostsAnAttempt()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var right = await flows.LatestCodeAsync(phone);

        var problem = await ProblemAssert.IsProblem(await flows.SubmitCodeAsync(flowId, right == "000000" ? "111111" : "000000"), HttpStatusCode.BadRequest, "invalid_code");

        Assert.Equal(4, problem.GetProperty("attemptsLeft").GetInt32());
    }

    [Theory]
    [InlineData("/api/signup", "{}", "phone")]
    [InlineData("/api/signup", "{\"phone\":\"  \"}", "phone")]
    [InlineData("/api/signup", "{\"phone\":8613812345678}", "phone")]
    [InlineData("/api/signup", "{\"phone\":[\"+8613812345678\"]}", "phone")]
    [InlineData("/api/signup", "{\"phone\":\"13812345678\",\"region\":\"China\"}", "region")]
    [InlineData("/api/signup", "{\"phone\":\"13812345678\",\"region\":86}", "region")]
    [InlineData("/api/password/reset", "{}", "identifier")]
    [InlineData("/api/password/reset", "{\"identifier\":true}", "identifier")]
    [InlineData("/api/recovery/phone/email", "{\"identifier\":{\"phone\":\"x\"}}", "identifier")]
    [InlineData("/api/recovery/cancel", "{\"code\":12345}", "code")]
    public async Task SignedOutStarts_MissingOrMalformedField_400ValidationFailedWithField(string path, string body, string field)
    {
        await using var app = await TestApp.StartAsync();

        var problem = await ProblemAssert.IsProblem(await PostRawAsync(app, path, body, "application/json"), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task StartSignUp_WellFormedButInvalidPhone_StaysInvalidPhone()
    {
        await using var app = await TestApp.StartAsync();

        await ProblemAssert.IsProblem(await PostRawAsync(app, "/api/signup", "{\"phone\":\"+999 12\"}", "application/json"), HttpStatusCode.BadRequest, "invalid_phone");
    }

    [Theory]
    [InlineData("POST", "/api/me/phone/bind", "{}", "phone")]
    [InlineData("POST", "/api/me/phone/bind", "{\"phone\":5}", "phone")]
    [InlineData("POST", "/api/me/email/bind", "{}", "email")]
    [InlineData("POST", "/api/me/email/bind", "{\"email\":\" \"}", "email")]
    [InlineData("PUT", "/api/me/security-questions", "{}", "questions")]
    [InlineData("PUT", "/api/me/security-questions", "{\"questions\":[{\"question\":\"Pet?\"}]}", "questions[0].answer")]
    [InlineData("PUT", "/api/me/security-questions", "{\"questions\":[{\"question\":\"Pet?\",\"answer\":7}]}", "questions[0].answer")]
    public async Task SignedInStarts_MissingOrMalformedField_400ValidationFailedWithField(string method, string path, string body, string field)
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, phone: null, email: NewEmail());
        var (token, _) = await AccountFlows.SessionAsync(app, account);
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var problem = await ProblemAssert.IsProblem(await app.Client.SendAsync(request), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("limit=5&cursor=0000000000000000000%7Cxyz", "cursor")]
    public async Task Activity_MalformedLimitOrCursor_400ValidationFailed(string query, string field)
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, phone: NewPhone());
        var (token, _) = await AccountFlows.SessionAsync(app, account);

        var problem = await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Get, "/api/me/activity?" + query, token), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Activity_LimitBoundsAndEmptyCursor_Accepted()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, phone: NewPhone());
        var (token, _) = await AccountFlows.SessionAsync(app, account);

        foreach (var query in new[] { "limit=1", "limit=100", "limit=20&cursor=", "" })
        {
            var page = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/activity?" + query, token));
            Assert.Equal(JsonValueKind.Array, page.GetProperty("items").ValueKind);
        }
    }

    [Fact]
    public async Task SubmitCode_CodeAsNumber_400ValidationFailedNotMalformedJson()
    {
        await using var app = await TestApp.StartAsync();
        var flowId = await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());

        var problem = await ProblemAssert.IsProblem(await PostRawAsync(app, $"/api/flows/{flowId}/code", "{\"code\":123456}", "application/json"), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("code", problem.GetProperty("field").GetString());
        // Broken JSON stays malformed_json: there is no field to name.
        await ProblemAssert.IsProblem(await PostRawAsync(app, $"/api/flows/{flowId}/code", "{\"code\":", "application/json"), HttpStatusCode.BadRequest, "malformed_json");
    }
}
