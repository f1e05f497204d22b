using System.Net;
using Rebind.Core.Accounts;
using Rebind.Core.Security;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

public sealed class ReauthenticationApiTests
{
    private static readonly object Questions = new
    {
        questions = new[]
        {
            new { questionId = "birth_city", answer = "北京 " },
            new { questionId = "primary_school", answer = "Ｂｅｉｊｉｎｇ  No.4" },
            new { questionId = "first_pet", answer = "Mimi" },
        },
    };

    [Fact]
    public async Task PutSecurityQuestions_NullQuestion_400ValidationFailedNotServerError()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var (token, _) = await SignInAsync(app, phone);

        var response = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, new { questions = new object?[] { null } });

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("questions[0]", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task SecurityChange_After15Minutes_NeedsReauthentication_PasswordRefreshesIt()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var (token, _) = await SignInAsync(app, phone);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, Questions)).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(16));
        var stale = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, Questions);
        var wrong = await SendAsync(app, HttpMethod.Post, "/api/auth/reauthenticate", token, new { password = "wrong-password-1" });
        var reauth = await SendAsync(app, HttpMethod.Post, "/api/auth/reauthenticate", token, new { password = Password });
        var fresh = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, Questions);

        await ProblemAssert.IsProblem(stale, HttpStatusCode.Unauthorized, AccountErrors.ReauthenticationRequiredCode);
        await ProblemAssert.IsProblem(wrong, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        var json = await JsonAsync(reauth);
        Assert.Equal(app.Time.GetUtcNow().AddMinutes(15), json.GetProperty("recentUntil").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
    }

    [Fact]
    public async Task Reauthenticate_WithoutSession_401Unauthorized()
    {
        await using var app = await TestApp.StartAsync();

        var response = await SendAsync(app, HttpMethod.Post, "/api/auth/reauthenticate", null, new { password = Password });

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task SecurityQuestions_PutThenGet_QuestionsWithoutAnswers_AnswersNormalizedAndHashed()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var (token, _) = await SignInAsync(app, phone);

        var put = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, Questions);
        var get = new HttpRequestMessage(HttpMethod.Get, "/api/me/security-questions");
        get.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        get.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var got = await app.Client.SendAsync(get);

        await JsonAsync(put);
        var body = await got.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Contains("您的出生城市是哪里？", body);
        Assert.Contains("\"birth_city\"", body);
        Assert.DoesNotContain("北京", body);
        Assert.DoesNotContain("answer", body, StringComparison.OrdinalIgnoreCase);
        var stored = (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.SecurityQuestions;
        var hasher = app.Services.GetRequiredService<PasswordHasher>();
        // Stored by catalogue id, in catalogue order: first_pet, birth_city, primary_school.
        Assert.Equal(["first_pet", "birth_city", "primary_school"], stored.Select(q => q.Id));
        Assert.True(SecurityAnswers.Verify(hasher, stored[1], "北京"));
        Assert.True(SecurityAnswers.Verify(hasher, stored[2], "beijing no.4"));
        Assert.False(SecurityAnswers.Verify(hasher, stored[2], "beijing"));
    }

    [Fact]
    public async Task SecurityQuestions_FourQuestions_400()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var (token, _) = await SignInAsync(app, phone);
        var four = new { questions = Enumerable.Range(0, 4).Select(i => new { questionId = Core.Security.SecurityQuestionCatalogue.Ids[i], answer = "a" }).ToArray() };

        var response = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, four);

        var json = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, AccountErrors.InvalidSecurityQuestionsCode);
        Assert.Equal("count", json.GetProperty("rule").GetString());
    }
}
