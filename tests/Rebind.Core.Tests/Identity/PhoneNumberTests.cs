using Rebind.Core.Flows;
using Rebind.Core.Identity;

namespace Rebind.Core.Tests.Identity;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+86 138-1234-5678", null, "+8613812345678", "CN")]
    [InlineData("+8613812345678", "US", "+8613812345678", "CN")]
    [InlineData("13812345678", "CN", "+8613812345678", "CN")]
    [InlineData("013812345678", "CN", "+8613812345678", "CN")]
    [InlineData("86 138 1234 5678", "CN", "+8613812345678", "CN")]
    [InlineData("＋８６ １３８ １２３４ ５６７８", null, "+8613812345678", "CN")]
    [InlineData("１３８１２３４５６７８", "cn", "+8613812345678", "CN")]
    [InlineData("010 8888 6666", "CN", "+861088886666", "CN")]
    [InlineData("(415) 555-2671", "US", "+14155552671", "US")]
    [InlineData("1 415 555 2671", "US", "+14155552671", "US")]
    [InlineData("011 44 20 7946 0958", "US", "+442079460958", "GB")]
    [InlineData("+1 (416) 555-0199", "CA", "+14165550199", "CA")]
    [InlineData("0044 20 7946 0958", "CN", "+442079460958", "GB")]
    [InlineData("+44 (0)20 7946 0958", null, "+442079460958", "GB")]
    [InlineData("07400 123456", "GB", "+447400123456", "GB")]
    [InlineData("030 1234567", "DE", "+49301234567", "DE")]
    [InlineData("+49 1512 3456789", null, "+4915123456789", "DE")]
    [InlineData("01 23 45 67 89", "FR", "+33123456789", "FR")]
    [InlineData("090-1234-5678", "JP", "+819012345678", "JP")]
    [InlineData("010-1234-5678", "KR", "+821012345678", "KR")]
    [InlineData("9123 4567", "HK", "+85291234567", "HK")]
    [InlineData("+853 6612 3456", null, "+85366123456", "MO")]
    [InlineData("0912 345 678", "TW", "+886912345678", "TW")]
    [InlineData("8123 4567", "SG", "+6581234567", "SG")]
    [InlineData("012-345 6789", "MY", "+60123456789", "MY")]
    [InlineData("0412 345 678", "AU", "+61412345678", "AU")]
    [InlineData("098765 43210", "IN", "+919876543210", "IN")]
    [InlineData("8 (916) 123-45-67", "RU", "+79161234567", "RU")]
    [InlineData("+7 701 234 5678", null, "+77012345678", "KZ")]
    [InlineData("+39 06 1234 5678", null, "+390612345678", "IT")]
    [InlineData("+351 912 345 678", null, "+351912345678", "PT")]
    [InlineData("+971 50 123 4567", null, "+971501234567", "AE")]
    [InlineData("+234 803 123 4567", null, "+2348031234567", "NG")]
    public void TryParse_Valid_NormalizesToE164(string input, string? region, string e164, string expectedRegion)
    {
        var ok = PhoneNumber.TryParse(input, region, out var number, out var error);

        Assert.True(ok, $"{input} should parse; got {error?.Code}");
        Assert.Equal(e164, number.E164);
        Assert.Equal(expectedRegion, number.Region);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("hello")]
    [InlineData("+86 138 1234 567a")]
    [InlineData("13812345678")] // national without a region
    [InlineData("+86 12812345678")] // CN mobile must start 13–19
    [InlineData("+86 138123456789")] // 12 digits
    [InlineData("+1 415 555 267")] // 9 digits
    [InlineData("+1 115 555 2671")] // NPA starts with 1
    [InlineData("+1 911 555 2671")] // N11 area code
    [InlineData("+1 415 155 2671")] // exchange starts with 1
    [InlineData("+1 999 555 0100")] // unassigned area code
    [InlineData("+44 20 7946 09")] // too short for GB
    [InlineData("+852 1234 5678")] // HK starts 2–9
    [InlineData("+65 1234 5678")]
    [InlineData("+0 123 4567")]
    [InlineData("+28 1234 5678")] // unassigned code
    [InlineData("+999 1234567")] // reserved
    [InlineData("+1234567890123456")] // 16 digits
    [InlineData("+86 138+1234 5678")]
    [InlineData("+86 138 1234 5678 ext 12")]
    [InlineData("+998 123")] // national shorter than 4
    public void TryParse_Invalid_ReturnsInvalidPhone(string? input)
    {
        var ok = PhoneNumber.TryParse(input, input == "13812345678" ? null : "CN", out _, out var error);

        Assert.False(ok);
        Assert.Equal(FlowErrorCodes.InvalidPhone, error.Code);
    }

    [Fact]
    public void TryParse_UnknownRegionForNationalInput_Invalid()
    {
        Assert.False(PhoneNumber.TryParse("13812345678", "XX", out _, out _));
    }

    [Fact]
    public void Masked_ChineseMobile_ShowsCountryCodeAndLastFour()
    {
        PhoneNumber.TryParse("+8613812345678", null, out var number, out _);

        Assert.Equal("+86*******5678", number.Masked);
        Assert.Equal("+86*******5678", number.ToString());
    }

    [Fact]
    public void FromE164_NotNormalized_Throws()
    {
        Assert.Throws<FormatException>(() => PhoneNumber.FromE164("+86 138 1234 5678"));
        Assert.Equal("+8613812345678", PhoneNumber.FromE164("+8613812345678").E164);
    }

    [Theory]
    [InlineData("CN")]
    [InlineData("US")]
    [InlineData("CA")]
    [InlineData("GB")]
    [InlineData("DE")]
    [InlineData("FR")]
    [InlineData("JP")]
    [InlineData("KR")]
    [InlineData("HK")]
    [InlineData("MO")]
    [InlineData("TW")]
    [InlineData("SG")]
    [InlineData("MY")]
    [InlineData("AU")]
    [InlineData("IN")]
    [InlineData("RU")]
    public void TryParse_ExampleMobileOfRegion_ValidAndReceivesSms(string region)
    {
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var example = util.Format(util.GetExampleNumberForType(region, PhoneNumbers.PhoneNumberType.MOBILE), PhoneNumbers.PhoneNumberFormat.NATIONAL);

        Assert.True(PhoneNumber.TryParse(example, region, out var number, out _), example);
        Assert.Equal(region, number.Region);
        Assert.True(number.CanReceiveSms);
    }

    [Theory]
    [InlineData("+86 10 8888 6666")] // Beijing landline
    [InlineData("+44 20 7946 0958")] // London landline
    [InlineData("+49 30 1234567")] // Berlin landline
    public void CanReceiveSms_FixedLine_False(string input)
    {
        Assert.True(PhoneNumber.TryParse(input, null, out var number, out _));
        Assert.False(number.CanReceiveSms);
    }

    [Theory]
    [InlineData("+881612345678")] // Iridium satellite
    [InlineData("+8823421234")] // international networks
    [InlineData("+883510012345")] // international networks (second code)
    [InlineData("+979123456789")] // international premium rate
    [InlineData("+870301234567")] // Inmarsat
    public void CanReceiveSms_NonGeographic_ValidButFalse(string input)
    {
        Assert.True(PhoneNumber.TryParse(input, null, out var number, out _), input);
        Assert.Null(number.Region);
        Assert.False(number.CanReceiveSms);
    }

    [Theory]
    [InlineData("+1 415 555 2671")] // fixed line or mobile: the metadata cannot tell, SMS may work
    [InlineData("+86 138 1234 5678")]
    public void CanReceiveSms_MobileOrUndecidable_True(string input)
    {
        Assert.True(PhoneNumber.TryParse(input, null, out var number, out _));
        Assert.True(number.CanReceiveSms);
    }

    [Theory]
    [InlineData("+14155550100", "+1******0100")]
    [InlineData("+442079460123", "+44******0123")]
    [InlineData("+8613812345678", "+86*******5678")]
    [InlineData("+85291234567", "+852****4567")]
    public void Masked_EveryCountry_CountryCodeAndLastFour(string e164, string masked)
    {
        Assert.Equal(masked, PhoneNumber.MaskE164(e164));
    }
}
