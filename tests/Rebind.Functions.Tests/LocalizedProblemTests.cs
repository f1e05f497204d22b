using System.Net;
using System.Net.Http.Json;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

/// <summary>The problem <c>detail</c> follows Accept-Language for every catalogue; the <c>code</c> never changes.</summary>
public sealed class LocalizedProblemTests
{
    [Theory]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.5", "账号或密码")]
    [InlineData("en-GB", "password")]
    public async Task SignIn_UnknownAccount_DetailInCallersLanguage(string acceptLanguage, string expected)
    {
        await using var app = await TestApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in")
        {
            Content = JsonContent.Create(new { identifier = "+8613912345678", password = "not-the-password-1" }),
        };
        request.Headers.Add("Accept-Language", acceptLanguage);

        var problem = await ProblemAssert.IsProblem(await app.Client.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_credentials");

        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignUp_OverlongIdempotencyKey_ValidationFailedInChinese()
    {
        await using var app = await TestApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/signup") { Content = JsonContent.Create(new { phone = "+8613912345678" }) };
        request.Headers.Add("Accept-Language", "zh-CN");
        request.Headers.Add("Idempotency-Key", new string('k', 300));

        var problem = await ProblemAssert.IsProblem(await app.Client.SendAsync(request), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("缺少必填字段或字段无效。", problem.GetProperty("detail").GetString());
        Assert.Equal("Idempotency-Key", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task SignUp_InvalidPhone_DetailInChineseCodeStable()
    {
        await using var app = await TestApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/signup") { Content = JsonContent.Create(new { phone = "12" }) };
        request.Headers.Add("Accept-Language", "zh-CN");

        var problem = await ProblemAssert.IsProblem(await app.Client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_phone");

        Assert.StartsWith("手机号码无效", problem.GetProperty("detail").GetString());
    }
}
