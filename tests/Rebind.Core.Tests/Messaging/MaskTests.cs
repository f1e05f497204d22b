using Rebind.Core.Messaging;

namespace Rebind.Core.Tests.Messaging;

public class MaskTests
{
    [Theory]
    [InlineData("+8613812345678", "+86*******5678")]
    [InlineData("+14155550123", "+14*****0123")]
    [InlineData("+4479", "***79")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Phone_VariousLengths_KeepsOnlyEnds(string? phone, string expected)
    {
        Assert.Equal(expected, Mask.Phone(phone));
    }

    [Theory]
    [InlineData("alice@example.com", "a***@example.com")]
    [InlineData("b@x.cn", "b***@x.cn")]
    [InlineData("no-at-sign", "***")]
    [InlineData("@example.com", "***")]
    [InlineData(null, "")]
    public void Email_VariousShapes_KeepsFirstCharacterAndDomain(string? email, string expected)
    {
        Assert.Equal(expected, Mask.Email(email));
    }

    [Fact]
    public void Phone_LongNumber_HidesTheMiddleDigits()
    {
        var masked = Mask.Phone("+8613812345678");

        Assert.DoesNotContain("381234", masked, StringComparison.Ordinal);
        Assert.Equal("+8613812345678".Length, masked.Length);
    }

    [Fact]
    public void Address_ByChannel_UsesMatchingMask()
    {
        Assert.Equal("a***@example.com", Mask.Address(Channel.Email, "alice@example.com"));
        Assert.Equal("+86*******5678", Mask.Address(Channel.Sms, "+8613812345678"));
    }
}
