using System.Net;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;

namespace Rebind.Functions.Tests;

/// <summary>Changing the security questions is limited per account and told to the bound phone and email.</summary>
public sealed class SecurityQuestionChangeTests
{
    private static readonly object Questions = new
    {
        questions = new[]
        {
            new { questionId = "first_pet", answer = "Mimi" },
            new { questionId = "birth_city", answer = "Beijing" },
            new { questionId = "first_car", answer = "Lada" },
        },
    };

    [Fact]
    public async Task PutQuestions_SixthInAnHour_RateLimitedAndEveryChangeNotified()
    {
        await using var app = await TestApp.StartAsync();
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone, email);
        var (token, _) = await SessionAsync(app, account);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, Questions)).StatusCode);
        }
        var sixth = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, Questions);

        var problem = await ProblemAssert.IsProblem(sixth, (HttpStatusCode)429, "rate_limited");
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() > 0);
        Assert.Equal(5, (await MessagesAsync(app, phone, "security_notice")).Count);
        var notice = (await MessagesAsync(app, email, "security_notice"))[0];
        Assert.Contains("security questions changed", notice.GetProperty("text").GetString());
    }
}
