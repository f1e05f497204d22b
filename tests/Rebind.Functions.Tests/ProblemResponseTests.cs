using System.Net;
using System.Text;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

/// <summary>Every kind of bad request gets problem+json with a stable code, never HTML or a stack trace.</summary>
public sealed class ProblemResponseTests
{
    [Fact]
    public async Task UnknownRoute_Returns404NotFound()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/api/no/such/thing");

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task WrongMethod_Returns405MethodNotAllowed()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.DeleteAsync("/api/health");

        await ProblemAssert.IsProblem(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task MalformedJson_Returns400MalformedJson()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.PostAsync("/api/auth/sign-in", new StringContent("{\"identifier\": \"+8613800000000\", \"password\": ", Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task OversizedBody_Returns413PayloadTooLarge()
    {
        await using var app = await TestApp.StartAsync();
        var big = "{\"identifier\":\"" + new string('a', 100_000) + "\"}";

        var response = await app.Client.PostAsync("/api/auth/sign-in", new StringContent(big, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task OversizedBodyWithoutContentLength_Returns413PayloadTooLarge()
    {
        await using var app = await TestApp.StartAsync();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"identifier\":\"" + new string('a', 100_000) + "\"}")));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await app.Client.SendAsync(request);

        await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task WrongMediaType_Returns415UnsupportedMediaType()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.PostAsync("/api/auth/sign-in", new StringContent("<identifier/>", Encoding.UTF8, "application/xml"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task ServerFault_Returns500WithoutInternals()
    {
        await using var app = await TestApp.StartAsync(configureApp: a =>
            a.MapGet("/api/test/boom", string () => throw new InvalidOperationException("secret internal detail")));

        var response = await app.Client.GetAsync("/api/test/boom");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.InternalServerError, "internal_error");
        Assert.DoesNotContain("secret internal detail", problem.ToString());
        Assert.DoesNotContain("InvalidOperationException", problem.ToString());
    }
}
