using System.Net;
using Rebind.Core.Accounts;
using Rebind.Core.Sessions;
using Rebind.Functions.Hosting;
using Rebind.Functions.Http;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

public sealed class SessionApiTests
{
    [Fact]
    public async Task SignOut_TokenNoLongerWorks()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var (token, _) = await SignInAsync(app, phone);

        var signOut = await SendAsync(app, HttpMethod.Post, "/api/auth/sign-out", token);
        var after = await SendAsync(app, HttpMethod.Get, "/api/me", token);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        await ProblemAssert.IsProblem(after, HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
    }

    [Fact]
    public async Task ListSessions_MarksCurrentWithDevice()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var (_, laptop) = await SignInAsync(app, phone, "Laptop");
        var (token, current) = await SignInAsync(app, phone, "小米 14");

        var json = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/sessions", token));

        var sessions = json.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        var mine = sessions.Single(s => s.GetProperty("current").GetBoolean());
        Assert.Equal(current, mine.GetProperty("id").GetString());
        Assert.Equal("小米 14", mine.GetProperty("deviceName").GetString());
        Assert.Equal("127.0.0.1", mine.GetProperty("ipAddress").GetString());
        Assert.Equal(app.Time.GetUtcNow().AddDays(30), mine.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Contains(sessions, s => s.GetProperty("id").GetString() == laptop && !s.GetProperty("current").GetBoolean());
    }

    [Fact]
    public async Task EndOthers_KeepsOnlyCurrent()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var others = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => SignInAsync(app, phone, $"old {i}")));
        var (token, current) = await SignInAsync(app, phone);

        var ended = await JsonAsync(await SendAsync(app, HttpMethod.Post, "/api/me/sessions/end-others", token));
        var list = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/sessions", token));

        Assert.Equal(3, ended.GetProperty("ended").GetInt32());
        Assert.Equal([current], list.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        foreach (var (otherToken, _) in others)
        {
            await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Get, "/api/me", otherToken), HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
        }
    }

    [Fact]
    public async Task EndSession_OwnOther_EndsIt_ForeignOrUnknownId_404()
    {
        await using var app = await TestApp.StartAsync();
        var alicePhone = NewPhone();
        var bobPhone = NewPhone();
        await SeedAsync(app, phone: alicePhone);
        await SeedAsync(app, phone: bobPhone);
        var (aliceToken, _) = await SignInAsync(app, alicePhone);
        var (aliceOld, aliceOldId) = await SignInAsync(app, alicePhone);
        var (bobToken, bobSession) = await SignInAsync(app, bobPhone);

        var foreign = await SendAsync(app, HttpMethod.Delete, $"/api/me/sessions/{bobSession}", aliceToken);
        var nonsense = await SendAsync(app, HttpMethod.Delete, "/api/me/sessions/..%2Faccount", aliceToken);
        var own = await SendAsync(app, HttpMethod.Delete, $"/api/me/sessions/{aliceOldId}", aliceToken);

        await ProblemAssert.IsProblem(foreign, HttpStatusCode.NotFound, AccountErrors.SessionNotFoundCode);
        Assert.True(nonsense.StatusCode == HttpStatusCode.NotFound, await nonsense.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", bobToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", aliceOld)).StatusCode);
    }

    [Fact]
    public async Task SecurityStampChanged_EndsAllSessions()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SignInAsync(app, phone)));

        await app.Services.GetRequiredService<ISessionService>().RotateSecurityStampAsync(account.Id);

        foreach (var (token, _) in tokens)
        {
            await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Get, "/api/me", token), HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
        }

        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone)).StatusCode);
    }

    [Fact]
    public async Task RotateSecurityStamp_KeepingCurrent_OnlyCurrentSurvives()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var (other, _) = await SignInAsync(app, phone);
        var (mine, mineId) = await SignInAsync(app, phone);

        await app.Services.GetRequiredService<ISessionService>().RotateSecurityStampAsync(account.Id, mineId);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", mine)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", other)).StatusCode);
    }

    [Fact]
    public async Task BadTokens_Get401_Never500()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var (revoked, _) = await SignInAsync(app, phone);
        await SendAsync(app, HttpMethod.Post, "/api/auth/sign-out", revoked);
        var (expiring, _) = await SignInAsync(app, phone);
        app.Time.Advance(TimeSpan.FromDays(31));
        var bad = new[]
        {
            "garbage",
            "",
            SessionTokens.NewToken(),
            new string('a', 5000),
            "' OR 1=1 --",
            "../../" + new string('/', 37),
            revoked[..42] + (revoked[42] == 'A' ? 'B' : 'A'),
            revoked,
            expiring,
        };

        foreach (var token in bad)
        {
            var response = await SendRawAsync(app, "Bearer " + token);
            var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        await ProblemAssert.IsProblem(await SendRawAsync(app, "Basic dXNlcjpwYXNz"), HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
        await ProblemAssert.IsProblem(await SendRawAsync(app, null), HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
    }

    [Fact]
    public async Task Cleanup_AfterAbsoluteExpiry_PurgesSessions()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        await SignInAsync(app, phone);
        await SignInAsync(app, phone);
        var runner = app.Services.GetRequiredService<CleanupRunner>();

        var early = await runner.RunAsync();
        app.Time.Advance(TimeSpan.FromDays(91));
        var due = await runner.RunAsync();
        var again = await runner.RunAsync();

        Assert.Equal(0, early.Counts["sessions_expired"]);
        Assert.Equal(2, due.Counts["sessions_expired"]);
        Assert.Equal(0, again.Counts["sessions_expired"]);
        Assert.Empty(due.Failed);
        var tables = app.Services.GetRequiredService<Rebind.Azure.Stores.RebindTables>();
        var accountsTable = await tables.GetAsync(Rebind.Azure.Stores.RebindTables.Accounts);
        var left = new List<string>();
        await foreach (var row in accountsTable.QueryAsync<global::Azure.Data.Tables.TableEntity>(global::Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {account.Id}")))
        {
            left.Add(row.RowKey);
        }

        Assert.DoesNotContain(left, k => k.StartsWith("session|", StringComparison.Ordinal));
        Assert.Contains("account", left);
    }

    private static Task<HttpResponseMessage> SendRawAsync(TestApp app, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me/sessions");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return app.Client.SendAsync(request);
    }
}
