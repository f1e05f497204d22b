using System.Net;
using System.Text.Json;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary><c>GET /api/me/devices</c> and <c>DELETE /api/me/devices/{id}</c>: the account's known devices (issue 15).</summary>
public sealed class DeviceApiTests
{
    [Fact]
    public async Task Devices_TwoSignedIn_ListedNewestFirst_OneForgotten_ItsNextSignInIsANewDevice()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone);
        var (phoneDevice, tablet) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var first = app.Time.GetUtcNow();
        await JsonAsync(await PostSignInAsync(app, phone, deviceName: "Pixel 9", deviceId: phoneDevice));
        app.Time.Advance(TimeSpan.FromHours(2));
        var token = await TokenAsync(await PostSignInAsync(app, phone, deviceName: "iPad", deviceId: tablet));

        var devices = (await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/devices", token))).GetProperty("devices");

        Assert.Equal(["iPad", "Pixel 9"], devices.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var pixel = devices[1];
        Assert.Equal(first, pixel.GetProperty("firstSeenAt").GetDateTimeOffset());
        Assert.Equal(first, pixel.GetProperty("lastSignInAt").GetDateTimeOffset());
        var id = pixel.GetProperty("id").GetString()!;
        Assert.Equal(KnownDevice.HashOf(phoneDevice)[..16], id);
        Assert.DoesNotContain(phoneDevice, devices.ToString());

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(app, HttpMethod.Delete, $"/api/me/devices/{id}", token)).StatusCode);

        var left = (await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/devices", token))).GetProperty("devices");
        Assert.Equal(["iPad"], left.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.False(KnownDevice.IsKnown((await AccountAsync(app, account.Id)).KnownDevices, phoneDevice));
        Assert.Contains(await ActivityAsync(app, token), e => e.Type == ActivityTypes.DeviceForgotten && e.Detail == id);
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Delete, $"/api/me/devices/{id}", token), HttpStatusCode.NotFound, AccountErrors.DeviceNotFoundCode);

        // Signed in from it again: a new entry, first seen now.
        app.Time.Advance(TimeSpan.FromHours(1));
        await JsonAsync(await PostSignInAsync(app, phone, deviceName: "Pixel 9", deviceId: phoneDevice));
        var again = (await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/devices", token))).GetProperty("devices")[0];
        Assert.Equal(app.Time.GetUtcNow(), again.GetProperty("firstSeenAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ForgetDevice_AnotherAccountsOrNone_404_AndNothingChanges()
    {
        await using var app = await TestApp.StartAsync();
        var (mine, theirs) = (NewPhone(), NewPhone());
        await SeedAsync(app, mine);
        var other = await SeedAsync(app, theirs);
        var theirDevice = Guid.NewGuid().ToString();
        await JsonAsync(await PostSignInAsync(app, theirs, deviceId: theirDevice));
        var token = await TokenAsync(await PostSignInAsync(app, mine, deviceId: Guid.NewGuid().ToString()));

        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Delete, $"/api/me/devices/{KnownDevice.HashOf(theirDevice)[..16]}", token), HttpStatusCode.NotFound, AccountErrors.DeviceNotFoundCode);
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Delete, "/api/me/devices/nonsense", token), HttpStatusCode.NotFound, AccountErrors.DeviceNotFoundCode);

        Assert.True(KnownDevice.IsKnown((await AccountAsync(app, other.Id)).KnownDevices, theirDevice));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me/devices", null)).StatusCode);
    }

    private static async Task<string> TokenAsync(HttpResponseMessage signIn) =>
        (await JsonAsync(signIn)).GetProperty("token").GetString()!;
}
