using System.Net;
using Rebind.Core.Activity;
using Rebind.Functions.Hosting;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

public sealed class ActivityApiTests
{
    [Fact]
    public async Task Activity_ShowsEachEvent_NewestFirst_Paged()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        await PostSignInAsync(app, phone, "wrong-password-1");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var (other, otherId) = await SignInAsync(app, phone, "Old tablet");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var (token, _) = await SignInAsync(app, phone, "Pixel 9");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(app, HttpMethod.Delete, $"/api/me/sessions/{otherId}", token);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(app, HttpMethod.Post, "/api/auth/reauthenticate", token, new { password = Password });
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, new { questions = new[] { new { questionId = "first_pet", answer = "Mimi" }, new { questionId = "birth_city", answer = "Beijing" }, new { questionId = "first_car", answer = "Lada" } } });
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(app, HttpMethod.Post, "/api/me/sessions/end-others", token);

        var first = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/activity?limit=4", token));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await JsonAsync(await SendAsync(app, HttpMethod.Get, $"/api/me/activity?limit=4&cursor={cursor}", token));

        var items = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(
            [
                (ActivityTypes.OtherSessionsEnded, ActivityOutcomes.Success),
                (ActivityTypes.SecurityQuestionsChanged, ActivityOutcomes.Success),
                (ActivityTypes.Reauthentication, ActivityOutcomes.Success),
                (ActivityTypes.SessionEnded, ActivityOutcomes.Success),
                (ActivityTypes.SignIn, ActivityOutcomes.Success),
                (ActivityTypes.SignIn, ActivityOutcomes.Success),
                (ActivityTypes.SignIn, ActivityOutcomes.Failure),
            ],
            items.Select(i => (i.GetProperty("type").GetString(), i.GetProperty("outcome").GetString())));
        Assert.Equal("Pixel 9", items[4].GetProperty("deviceName").GetString());
        Assert.Equal("127.0.0.1", items[6].GetProperty("ipAddress").GetString());
        Assert.Equal(JsonValueKindNull, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", other)).StatusCode);
    }

    [Fact]
    public async Task Cleanup_AfterRetention_PurgesHistory()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["History:RetentionDays"] = "30" });
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        await PostSignInAsync(app, phone, "wrong-password-1");
        await PostSignInAsync(app, phone, "wrong-password-2");
        app.Time.Advance(TimeSpan.FromDays(31));
        var runner = app.Services.GetRequiredService<CleanupRunner>();

        var report = await runner.RunAsync();
        var left = await app.Services.GetRequiredService<IActivityLog>().ListAsync(account.Id, 10);

        Assert.Equal(2, report.Counts["activity_purged"]);
        Assert.Empty(left.Items);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
