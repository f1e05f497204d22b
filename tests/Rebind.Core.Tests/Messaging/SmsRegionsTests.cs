using Rebind.Core.Flows;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;

namespace Rebind.Core.Tests.Messaging;

public sealed class SmsRegionsTests
{
    [Theory]
    [InlineData("+8613812345678", true)]
    [InlineData("+14155552671", true)]
    [InlineData("+447400123456", true)]
    [InlineData("+2348031234567", false)] // Nigeria
    [InlineData("+79161234567", false)] // Russia
    [InlineData("+881612345678", false)] // Iridium: no region at all
    public void CheckE164_DefaultList_OnlyServedRegions(string e164, bool allowed)
    {
        var error = SmsRegions.Default.CheckE164(e164);

        Assert.Equal(allowed, error is null);
        Assert.True(allowed || error!.Code == FlowErrorCodes.PhoneRegionNotSupported);
    }

    [Fact]
    public void Parse_Star_AllowsEveryRegionAndNonGeographic()
    {
        var regions = SmsRegions.Parse(" * ");

        Assert.True(regions.AllowsEverywhere);
        Assert.True(regions.Allows("NG"));
        Assert.True(regions.Allows(null));
    }

    [Fact]
    public void Parse_ListInAnyCaseAndSeparator_Normalized()
    {
        var regions = SmsRegions.Parse("cn; us ,GB");

        Assert.Equal(["CN", "GB", "US"], regions.Allowed);
        Assert.False(regions.Allows(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("CN,XX")]
    [InlineData("China")]
    public void Parse_EmptyOrUnknownCode_Throws(string list)
    {
        Assert.Throws<ArgumentException>(() => SmsRegions.Parse(list));
    }

    [Theory]
    [InlineData("+86 10 8888 6666", FlowErrorCodes.PhoneCannotReceiveSms)] // landline of a served region
    [InlineData("+881612345678", FlowErrorCodes.PhoneCannotReceiveSms)] // what it is comes before where it is
    [InlineData("+2348031234567", FlowErrorCodes.PhoneRegionNotSupported)]
    public void CheckNewNumber_Refused_KindBeforeRegion(string input, string code)
    {
        Assert.True(PhoneNumber.TryParse(input, null, out var phone, out _));

        Assert.Equal(code, SmsRegions.Default.CheckNewNumber(phone)?.Code);
    }
}
