using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rebind.Core.Accounts;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>Support-assisted recovery over HTTP: the filer's API, every decision in the console, the cool-off, the limits.</summary>
public sealed class SupportCaseApiTests
{
    private static Func<Account, Account> Profile(string nickname, string team) =>
        a => a with { Profile = new Dictionary<string, string> { [ProfileKeys.Nickname] = nickname, [ProfileKeys.Team] = team } };

    private static object Evidence(TestApp app, string oldPhone, string email, string newPhone, string nickname = "mimi", object? extra = null) => new
    {
        phone = oldPhone,
        email,
        newPhone,
        signUpDate = app.Time.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        places = new[] { "127.0.0" },
        devices = new[] { "Pixel 8" },
        nickname,
        team = "ACME  ops",
        earlierPasswords = new[] { Password },
    };

    [Fact]
    public async Task Case_ApprovedByAnAgent_CoolOffThenRecovered_SessionsEndAndPasswordResetRequired()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Support:CoolOffHours"] = "1" },
            clockStart: DateTimeOffset.UtcNow - TimeSpan.FromHours(1) + TimeSpan.FromSeconds(15));
        var (oldPhone, email, newPhone) = (NewPhone(), NewEmail(), NewPhone());
        var account = await SeedAsync(app, oldPhone, email, Profile("Mimi", "Acme Ops"));
        var (token, _) = await SignInAsync(app, oldPhone, deviceName: "Pixel 8");

        var caseId = await SupportCases.SubmittedAsync(app, Evidence(app, oldPhone, email, newPhone), newPhone);

        using var alice = await ConsoleClient.SignedInAsync(app, "alice", "agent");
        var (queueStatus, queue) = await alice.GetAsync("/support");
        Assert.Equal(HttpStatusCode.OK, queueStatus);
        Assert.Contains(SupportCases.Ref(caseId), queue, StringComparison.Ordinal);
        var (_, page) = await alice.GetAsync("/support/cases/" + SupportCases.Ref(caseId));
        Assert.Contains("80 / 100", page, StringComparison.Ordinal);
        Assert.DoesNotContain(account.PasswordHash, page, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, page, StringComparison.Ordinal);

        var approved = await alice.PostAsync($"/support/cases/{SupportCases.Ref(caseId)}/approve");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var view = await SupportCases.StatusAsync(app, caseId, "approved");
        Assert.Equal(app.Time.GetUtcNow().AddHours(1), view.GetProperty("waitingUntil").GetDateTimeOffset());
        await SupportCases.SentAsync(app, oldPhone, "security_change_pending_notice");
        await SupportCases.SentAsync(app, email, "security_change_pending_notice");
        await SupportCases.SentAsync(app, newPhone, "support_case_approved");

        var (_, audit) = await alice.GetAsync("/support/audit?case=" + SupportCases.Ref(caseId));
        Assert.Contains("view_case", audit, StringComparison.Ordinal);
        Assert.Contains(">approve<", audit, StringComparison.Ordinal);
        var (_, mine) = await alice.GetAsync("/support/audit?agent=alice");
        Assert.Contains(SupportCases.Ref(caseId), mine, StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromHours(1));
        await SupportCases.StatusAsync(app, caseId, "completed", seconds: 60);

        var after = (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value;
        Assert.Equal(newPhone, after.Phone);
        Assert.NotNull(after.PasswordResetRequiredAt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
        await ProblemAssert.IsProblem(await PostSignInAsync(app, newPhone), HttpStatusCode.Forbidden, "password_reset_required");
        await ProblemAssert.IsProblem(await PostSignInAsync(app, oldPhone), HttpStatusCode.Unauthorized, "invalid_credentials");
        await SupportCases.SentAsync(app, newPhone, "support_case_completed");
        await SupportCases.SentAsync(app, oldPhone, "phone_unbound_notice");
    }

    [Fact]
    public async Task RiskyCase_NeedsASecondAgentWithTheSupervisorRole_ThenTheOwnerCancels()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, email, newPhone) = (NewPhone(), NewEmail(), NewPhone());
        var account = await SeedAsync(app, oldPhone, email);
        // Only the old phone: 15 of 100, far below the risky threshold.
        var caseId = await SupportCases.SubmittedAsync(app, new { phone = oldPhone, newPhone }, newPhone);
        var caseRef = SupportCases.Ref(caseId);

        using var alice = await ConsoleClient.SignedInAsync(app, "alice", "agent");
        await alice.GetAsync("/support/cases/" + caseRef);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostAsync($"/support/cases/{caseRef}/approve")).StatusCode);
        var (_, waiting) = await alice.GetAsync("/support/cases/" + caseRef);
        Assert.Contains("awaiting_second_approval", waiting, StringComparison.Ordinal);
        Assert.Equal("in_review", (await SupportCases.StatusAsync(app, caseId, "in_review")).GetProperty("status").GetString());

        // The same agent cannot approve twice; another agent without the supervisor role cannot either.
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/support/cases/{caseRef}/approve")).StatusCode);
        using var bob = await ConsoleClient.SignedInAsync(app, "bob", "agent");
        await bob.GetAsync("/support/cases/" + caseRef);
        var refused = await bob.PostAsync($"/support/cases/{caseRef}/approve");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("supervisor", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var carol = await ConsoleClient.SignedInAsync(app, "carol", "supervisor");
        await carol.GetAsync("/support/cases/" + caseRef);
        Assert.Equal(HttpStatusCode.Redirect, (await carol.PostAsync($"/support/cases/{caseRef}/approve")).StatusCode);
        await SupportCases.StatusAsync(app, caseId, "approved");

        // The real owner cancels with the code from the notice to the old phone.
        await SupportCases.SentAsync(app, oldPhone, "security_change_pending_notice");
        var notice = (await SupportCases.TextsAsync(app, oldPhone))[0];
        var code = System.Text.RegularExpressions.Regex.Match(notice, @"code (\S+)\.").Groups[1].Value;
        var cancelled = await app.Client.PostAsJsonAsync("/api/recovery/cancel", new { code });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        await SupportCases.StatusAsync(app, caseId, "cancelled");
        Assert.Equal(oldPhone, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.Phone);

        var (_, audit) = await carol.GetAsync("/support/audit?case=" + caseRef);
        Assert.Contains("approve_first", audit, StringComparison.Ordinal);
        Assert.Contains("approve_refused", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreInformation_ThenRejected_TheFilerReadsTheReason_UnknownAccountAnsweredAlike()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, email, newPhone, contact) = (NewPhone(), NewEmail(), NewPhone(), NewEmail());
        await SeedAsync(app, oldPhone, email, Profile("Mimi", "Acme Ops"));

        // The decision goes to a contact email, proven by its own code.
        var caseId = await SupportCases.SubmittedAsync(app, new { phone = oldPhone, newPhone, notify = "email", contactEmail = contact }, newPhone, contact);
        var caseRef = SupportCases.Ref(caseId);

        using var alice = await ConsoleClient.SignedInAsync(app, "alice", "agent");
        await alice.GetAsync("/support/cases/" + caseRef);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostAsync($"/support/cases/{caseRef}/request-info", ("question", "Which team are you in?"))).StatusCode);
        var asked = await SupportCases.StatusAsync(app, caseId, "more_information_requested");
        Assert.Equal("Which team are you in?", asked.GetProperty("infoRequest").GetString());
        Assert.Equal("info", asked.GetProperty("next").GetString());
        await SupportCases.SentAsync(app, contact, "support_case_info_requested");

        var added = await app.Client.PostAsJsonAsync($"{SupportCases.Path}/{caseId}/info", new { note = "I run the ops team.", team = "acme ops", nickname = "MIMI" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        await SupportCases.StatusAsync(app, caseId, "in_review");
        var (_, page) = await alice.GetAsync("/support/cases/" + caseRef);
        Assert.Contains("25 / 100", page, StringComparison.Ordinal);
        Assert.Contains("I run the ops team.", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostAsync($"/support/cases/{caseRef}/reject", ("reason", "The evidence does not match the records."))).StatusCode);
        var rejected = await SupportCases.StatusAsync(app, caseId, "rejected");
        Assert.Equal("The evidence does not match the records.", rejected.GetProperty("reason").GetString());
        await SupportCases.SentAsync(app, contact, "support_case_rejected");
        Assert.Contains(await SupportCases.TextsAsync(app, contact), t => t.Contains("The evidence does not match the records.", StringComparison.Ordinal));

        // An unknown account: the same answer to the filing, a case in review scoring 0, and it cannot be approved.
        var (unknownPhone, otherNew) = (NewPhone(), NewPhone());
        var known = await SupportCases.FileAsync(app, new { phone = oldPhone, newPhone = NewPhone() });
        var unknown = await SupportCases.FileAsync(app, new { phone = unknownPhone, newPhone = otherNew });
        Assert.Equal(HttpStatusCode.Created, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Created, known.StatusCode);
        Assert.Equal(SignInPage.Shape(known), SignInPage.Shape(unknown));
        var unknownId = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("flowId").GetString()!;
        var client = new FlowClient(app.Client);
        await FlowClient.OkJson(await client.SubmitCodeAsync(unknownId, await client.LatestCodeAsync(otherNew)));
        await SupportCases.StatusAsync(app, unknownId, "in_review");
        var (_, none) = await alice.GetAsync("/support/cases/" + SupportCases.Ref(unknownId));
        Assert.Contains("0 / 100", none, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/support/cases/{SupportCases.Ref(unknownId)}/approve")).StatusCode);
    }

    [Fact]
    public async Task Limits_OneOpenCasePerAccount_TwoADay_AndFieldsChecked()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, oldPhone, email);

        await ProblemAssert.IsProblem(await SupportCases.FileAsync(app, new { newPhone = NewPhone() }), HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblem(await SupportCases.FileAsync(app, new { phone = oldPhone }), HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblem(await SupportCases.FileAsync(app, new { phone = oldPhone, newPhone = NewPhone(), earlierPasswords = new[] { "a", "b", "c" } }), HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblem(await SupportCases.FileAsync(app, new { phone = oldPhone, newPhone = NewPhone(), signUpDate = "last spring" }), HttpStatusCode.BadRequest, "validation_failed");

        var first = await FlowClient.OkJson(await SupportCases.FileAsync(app, new { phone = oldPhone, newPhone = NewPhone() }));
        // By the email this time: the same account, so the same open case.
        await ProblemAssert.IsProblem(await SupportCases.FileAsync(app, new { email, newPhone = NewPhone() }), HttpStatusCode.Conflict, "support_case_open");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.DeleteAsync("/api/flows/" + first.GetProperty("flowId").GetString())).StatusCode);

        var second = await FlowClient.OkJson(await SupportCases.FileAsync(app, new { email, newPhone = NewPhone() }));
        Assert.Equal(HttpStatusCode.OK, (await app.Client.DeleteAsync("/api/flows/" + second.GetProperty("flowId").GetString())).StatusCode);
        await ProblemAssert.IsProblem(await SupportCases.FileAsync(app, new { phone = oldPhone, newPhone = NewPhone() }), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Case_WithoutDecision_ExpiresAndTheFilerIsTold()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Support:DecisionTimeoutDays"] = "1" },
            clockStart: DateTimeOffset.UtcNow - TimeSpan.FromDays(1) + TimeSpan.FromSeconds(10));
        var (oldPhone, newPhone) = (NewPhone(), NewPhone());
        await SeedAsync(app, oldPhone);
        var caseId = await SupportCases.SubmittedAsync(app, new { phone = oldPhone, newPhone }, newPhone);

        app.Time.Advance(TimeSpan.FromDays(1));
        await SupportCases.StatusAsync(app, caseId, "expired", seconds: 60);
        await SupportCases.SentAsync(app, newPhone, "support_case_expired");
    }

    [Fact]
    public async Task Console_SignInRolesAntiForgeryAndEscaping()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, newPhone) = (NewPhone(), NewPhone());
        await SeedAsync(app, oldPhone);
        var caseId = await SupportCases.SubmittedAsync(app, new { phone = oldPhone, newPhone, nickname = "<script>alert(1)</script>" }, newPhone);
        var caseRef = SupportCases.Ref(caseId);

        using var anonymous = new ConsoleClient(app);
        var (redirect, _) = await anonymous.GetAsync("/support");
        Assert.Equal(HttpStatusCode.Redirect, redirect);

        using var nobody = await ConsoleClient.SignedInAsync(app, "mallory");
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync("/support")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync("/support/cases/" + caseRef)).Status);

        using var alice = await ConsoleClient.SignedInAsync(app, "alice", "agent");
        var response = await new HttpClient().GetAsync(new Uri(app.Client.BaseAddress!, "/support/console.css"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (status, page) = await alice.GetAsync("/support/cases/" + caseRef);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("<script>", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);

        var forged = await alice.PostAsync($"/support/cases/{caseRef}/reject", ("reason", "forged"), ("_csrf", "not-the-token"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        await SupportCases.StatusAsync(app, caseId, "in_review");
    }

    [Fact]
    public async Task Console_OffOutsideDevelopment_AndDevelopmentSignInRefusedThere()
    {
        await using (var app = await TestApp.StartAsync(environment: "Production"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/support")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/support/sign-in")).StatusCode);
        }
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => TestApp.StartAsync(new Dictionary<string, string?> { ["Support:Auth"] = "Development" }, environment: "Production"));

        // Easy Auth: the principal header App Service sets after Entra ID sign-in, with the app's roles.
        await using var easy = await TestApp.StartAsync(new Dictionary<string, string?> { ["Support:Auth"] = "EasyAuth" });
        static string Principal(params string[] roles) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            auth_typ = "aad",
            name_typ = "preferred_username",
            role_typ = "roles",
            claims = new[] { new { typ = "preferred_username", val = "dana@contoso.example" } }.Concat(roles.Select(r => new { typ = "roles", val = r })),
        }));
        using var asAgent = new HttpRequestMessage(HttpMethod.Get, "/support");
        asAgent.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal("agent"));
        var ok = await easy.Client.SendAsync(asAgent);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("dana@contoso.example", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", ok.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var asUser = new HttpRequestMessage(HttpMethod.Get, "/support");
        asUser.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal());
        Assert.Equal(HttpStatusCode.Forbidden, (await easy.Client.SendAsync(asUser)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await easy.Client.GetAsync("/support")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await easy.Client.GetAsync("/support/sign-in")).StatusCode);
    }

    [Fact]
    public async Task Profile_EditedByTheOwner_NeedsARecentSignIn()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone);
        var (token, _) = await SignInAsync(app, phone);

        var put = await SendAsync(app, HttpMethod.Put, "/api/me/profile", token, new { nickname = " Mimi ", team = "Acme Ops" });
        var body = await JsonAsync(put);
        Assert.Equal("Mimi", body.GetProperty("nickname").GetString());
        var read = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/profile", token));
        Assert.Equal("Acme Ops", read.GetProperty("team").GetString());
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Put, "/api/me/profile", token, new { nickname = new string('x', 65) }), HttpStatusCode.BadRequest, "validation_failed");

        app.Time.Advance(TimeSpan.FromMinutes(16));
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Put, "/api/me/profile", token, new { nickname = "x" }), HttpStatusCode.Unauthorized, "reauthentication_required");
    }
}
