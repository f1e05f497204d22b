using Rebind.Core.Accounts;

namespace Rebind.Core.Tests.Accounts;

public sealed class KnownDeviceTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Remember_NewDevice_AddedByHashNotById()
    {
        var devices = KnownDevice.Remember([], "3f2c0a8e-5b1d-4c7a-9e6f-0123456789ab", Now)!;

        var device = Assert.Single(devices);
        Assert.Equal(64, device.Hash.Length);
        Assert.DoesNotContain("3f2c0a8e", device.Hash);
        Assert.True(KnownDevice.IsKnown(devices, "3f2c0a8e-5b1d-4c7a-9e6f-0123456789ab"));
        Assert.False(KnownDevice.IsKnown(devices, "3f2c0a8e-5b1d-4c7a-9e6f-0123456789ac"));
        Assert.False(KnownDevice.IsKnown(devices, null));
    }

    [Fact]
    public void Remember_KnownDeviceSeenToday_NothingToWrite_SeenYesterday_Refreshed()
    {
        var devices = KnownDevice.Remember([], "device-a-0123456789abcdef", Now)!;

        Assert.Null(KnownDevice.Remember(devices, "device-a-0123456789abcdef", Now.AddHours(23)));
        Assert.Null(KnownDevice.Remember(devices, null, Now));
        var refreshed = KnownDevice.Remember(devices, "device-a-0123456789abcdef", Now.AddDays(2))!;
        Assert.Equal(Now.AddDays(2), Assert.Single(refreshed).LastSignInAt);
    }

    [Fact]
    public void Remember_PastTheLimit_ForgetsTheOneSignedInLongestAgo()
    {
        IReadOnlyList<KnownDevice> devices = [];
        for (var i = 0; i < KnownDevice.MaxPerAccount; i++)
        {
            devices = KnownDevice.Remember(devices, $"device-{i:D2}-0123456789abcdef", Now.AddDays(i))!;
        }

        devices = KnownDevice.Remember(devices, "device-new-0123456789abcdef", Now.AddDays(100))!;

        Assert.Equal(KnownDevice.MaxPerAccount, devices.Count);
        Assert.False(KnownDevice.IsKnown(devices, "device-00-0123456789abcdef"));
        Assert.True(KnownDevice.IsKnown(devices, "device-01-0123456789abcdef"));
        Assert.True(KnownDevice.IsKnown(devices, "device-new-0123456789abcdef"));
    }

    [Fact]
    public void Remember_Refreshed_KeepsWhenFirstSeen_TakesANewNameKeepsTheOldWithoutOne()
    {
        var devices = KnownDevice.Remember([], "device-a-0123456789abcdef", Now, "Pixel 9")!;
        Assert.Equal((Now, "Pixel 9"), (Assert.Single(devices).FirstSeenAt, Assert.Single(devices).Name));

        var renamed = KnownDevice.Remember(devices, "device-a-0123456789abcdef", Now.AddDays(2), "Pixel 9 Pro")!;
        var unnamed = KnownDevice.Remember(renamed, "device-a-0123456789abcdef", Now.AddDays(4))!;

        Assert.Equal((Now, "Pixel 9 Pro"), (Assert.Single(renamed).FirstSeenAt, Assert.Single(renamed).Name));
        Assert.Equal((Now, "Pixel 9 Pro", Now.AddDays(4)), (Assert.Single(unnamed).FirstSeenAt, Assert.Single(unnamed).Name, Assert.Single(unnamed).LastSignInAt));
        Assert.Equal(Assert.Single(unnamed).Hash[..16], Assert.Single(unnamed).Id);
    }
}
