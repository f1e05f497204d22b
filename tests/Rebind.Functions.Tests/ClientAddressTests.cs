using System.Net;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>Who the client is: what a trusted front end says (ports stripped, IPv6 too), never a forged header or loopback.</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.250:5555", "203.0.113.250")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::2", "2001:db8::2")]
    [InlineData("198.51.100.1, 203.0.113.8:80", "203.0.113.8")]
    public async Task SignIn_BehindTrustedFrontEnd_RecordsTheForwardedClient(string forwarded, string expected)
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd());

        Assert.Equal(expected, await SessionAddressAsync(app, forwarded));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("")]
    public async Task SignIn_TrustedFrontEndSendsNoUsableAddress_ClientIsUnknownNotLoopback(string forwarded)
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd());

        Assert.Equal("unknown", await SessionAddressAsync(app, forwarded));
    }

    [Fact]
    public async Task SignIn_NoTrustedProxy_ForgedHeaderIgnored()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal("127.0.0.1", await SessionAddressAsync(app, "203.0.113.99"));
    }

    [Fact]
    public async Task PerIpCap_ForwardedPortsVary_StillOneClient()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(new Dictionary<string, string?> { ["SignIn:PerIpPerHour"] = "2" }));
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);

        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, ip: "203.0.113.250:5555")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, ip: "203.0.113.250:5556")).StatusCode);
        var third = await PostSignInAsync(app, phone, ip: "203.0.113.250:5557");

        await ProblemAssert.IsProblem(third, (HttpStatusCode)429, "rate_limited");
    }

    private static async Task<string?> SessionAddressAsync(TestApp app, string forwarded)
    {
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var signIn = await JsonAsync(await PostSignInAsync(app, phone, ip: forwarded));
        var token = signIn.GetProperty("token").GetString();
        var sessions = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/sessions", token));
        return sessions.GetProperty("sessions")[0].GetProperty("ipAddress").GetString();
    }

    private static StringContent JsonContent(object value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
