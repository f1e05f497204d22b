using System.Net;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;

namespace Rebind.Functions.Tests;

/// <summary>SMS goes only to the regions of <c>Sms__AllowedRegions</c> (a short list of served markets by default).</summary>
public sealed class SmsRegionTests
{
    private const string Nigeria = "+2348031234567"; // a valid mobile of a region outside the default list
    private const string Reset = "/api/password/reset";
    private const string ByEmail = "/api/recovery/phone/email";

    [Fact]
    public async Task SignUp_RegionOutsideDefaultList_PhoneRegionNotSupportedNothingWrittenOrSent()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        app.StorageRequests.Reset();

        var response = await flows.StartSignUpAsync(Nigeria);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_region_not_supported");
        Assert.Equal("NG", problem.GetProperty("region").GetString());
        // Answered from the number alone: not one storage request (no rate-limit slot, no flow, no outbox row).
        Assert.Equal(0, app.StorageRequests.Count);
        Assert.Empty(await flows.InboxAsync(Nigeria));
    }

    [Theory]
    [InlineData("Sms:AllowedRegions", "CN,XX", "Sms__AllowedRegions")]
    [InlineData("Sms:BudgetPerHour", "0", "Sms__BudgetPerHour")]
    [InlineData("Sms:RegionBudgetsPerHour:CN", "lots", "Sms__RegionBudgetsPerHour__CN")]
    public void Create_UnusableSmsSetting_FailsNamingIt(string key, string value, string setting)
    {
        var root = Directory.CreateTempSubdirectory("rebind-sms-").FullName;

        var error = Assert.Throws<InvalidOperationException>(() => Functions.RebindApp.Create([], TestApp.Startable((key, value)), root));

        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public async Task SignUp_AllowedRegionsConfigured_OnlyThoseRegionsGetCodes()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sms:AllowedRegions"] = "ng, gh" });
        var flows = new FlowClient(app.Client);

        Assert.Equal(HttpStatusCode.Created, (await flows.StartSignUpAsync(Nigeria)).StatusCode);
        await ProblemAssert.IsProblem(await flows.StartSignUpAsync(FlowClient.NewPhone()), HttpStatusCode.BadRequest, "phone_region_not_supported");
        Assert.Single(await flows.InboxAsync(Nigeria));
    }

    [Theory]
    [InlineData("+881612345678")]
    [InlineData("+8823421234")]
    [InlineData("+883510012345")]
    [InlineData("+979123456789")]
    public async Task SignUp_NonGeographicNumberWithEveryRegionAllowed_StillPhoneCannotReceiveSms(string phone)
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sms:AllowedRegions"] = "*" });

        var response = await new FlowClient(app.Client).StartSignUpAsync(phone);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_cannot_receive_sms");
    }

    [Theory]
    [InlineData("+881612345678")]
    [InlineData(Nigeria)]
    public async Task PasswordReset_NumberOutsideList_SameRefusalKnownOrUnknownNothingSent(string phone)
    {
        await using var app = await TestApp.StartAsync();
        // An account bound to it before the region left the list (seeded straight into the store).
        await SeedAsync(app, phone: phone, email: NewEmail());
        var unknown = phone == Nigeria ? "+2348031234568" : "+881612345679";

        var known = await SignInPage.StartAsync(app, Reset, phone);
        var other = await SignInPage.StartAsync(app, Reset, unknown);

        await ProblemAssert.IsProblem(known, HttpStatusCode.BadRequest, "phone_region_not_supported");
        await SignInPage.AssertAlikeAsync(known, other);
        var flows = new FlowClient(app.Client);
        Assert.Empty(await flows.InboxAsync(phone));
        Assert.Empty(await flows.InboxAsync(unknown));
    }

    [Fact]
    public async Task BindPhone_RegionOutsideList_PhoneRegionNotSupportedNothingSent()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, email: NewEmail());
        var (token, _) = await SessionAsync(app, account);

        var response = await SendAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone = Nigeria });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_region_not_supported");
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(Nigeria));
    }

    [Fact]
    public async Task RecoveryNewPhone_RegionOutsideList_PhoneRegionNotSupportedFlowStillAwaitsPhone()
    {
        await using var app = await TestApp.StartAsync();
        var (phone, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, phone: phone, email: email);
        var flowId = await SignInPage.StartedAsync(app, ByEmail, email);
        await ConfirmedAsync(app, flowId, email, token: null!);

        var response = await PostAsync(app, flowId, "phone", null, new { phone = Nigeria });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_region_not_supported");
        var flow = await new FlowClient(app.Client).GetFlowAsync(flowId);
        Assert.Equal("phone", flow.GetProperty("next").GetString());
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(Nigeria));
    }

    [Fact]
    public async Task Resend_BoundNumberOfRegionTakenOffTheList_PhoneRegionNotSupported()
    {
        // A sign-up started while its region was served; the operator then took the region off the list (restart with
        // the same tables): a resend to that number is refused by FlowInputs' check, not only the start's.
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        string flowId;
        await using (var before = await TestApp.StartAsync(new Dictionary<string, string?> { ["Sms:AllowedRegions"] = "NG" }, tablePrefix: prefix))
        {
            flowId = await new FlowClient(before.Client).StartedSignUpAsync(Nigeria);
        }
        await using var app = await TestApp.StartAsync(tablePrefix: prefix);
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var response = await new FlowClient(app.Client).ResendAsync(flowId);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_region_not_supported");
        Assert.Single(await new FlowClient(app.Client).InboxAsync(Nigeria));
    }
}
