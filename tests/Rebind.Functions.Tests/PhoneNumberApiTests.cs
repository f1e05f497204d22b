using System.Net;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;

namespace Rebind.Functions.Tests;

/// <summary>Codes go only to numbers that can receive SMS, by libphonenumber's metadata.</summary>
public sealed class PhoneNumberApiTests
{
    [Theory]
    [InlineData("+86 10 8888 6666", null)] // Beijing landline
    [InlineData("010 8888 6666", "CN")]
    [InlineData("+44 20 7946 0958", null)] // London landline
    public async Task SignUp_Landline_PhoneCannotReceiveSmsAndNothingSent(string phone, string? region)
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);

        var response = await flows.StartSignUpAsync(phone, region: region);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_cannot_receive_sms");
        Assert.Empty(await flows.InboxAsync("+861088886666"));
    }

    [Theory]
    [InlineData("+881612345678")] // Iridium satellite, typed mobile
    [InlineData("+8823421234")] // international network, typed mobile
    [InlineData("+870301234567")] // Inmarsat, typed mobile
    [InlineData("+979123456789")] // international premium rate
    public async Task SignUp_NonGeographicNumber_PhoneCannotReceiveSms(string phone)
    {
        await using var app = await TestApp.StartAsync();

        var response = await new FlowClient(app.Client).StartSignUpAsync(phone);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_cannot_receive_sms");
    }

    [Fact]
    public async Task SignUp_PremiumRateNumber_PhoneCannotReceiveSms()
    {
        await using var app = await TestApp.StartAsync();
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var premium = util.Format(util.GetExampleNumberForType("GB", PhoneNumbers.PhoneNumberType.PREMIUM_RATE), PhoneNumbers.PhoneNumberFormat.E164);

        var response = await new FlowClient(app.Client).StartSignUpAsync(premium);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_cannot_receive_sms");
    }

    [Fact]
    public async Task BindPhone_Landline_PhoneCannotReceiveSms()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, email: NewEmail());
        var (token, _) = await SessionAsync(app, account);

        var response = await SendAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone = "+86 10 8888 6666" });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "phone_cannot_receive_sms");
    }

    [Fact]
    public async Task SignUp_UsMobileOrFixed_Accepted()
    {
        await using var app = await TestApp.StartAsync();

        var response = await new FlowClient(app.Client).StartSignUpAsync("(415) 555-2671", region: "US");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
