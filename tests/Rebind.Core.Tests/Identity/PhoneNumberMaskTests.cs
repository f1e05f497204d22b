using Rebind.Core.Identity;

namespace Rebind.Core.Tests.Identity;

public sealed class PhoneNumberMaskTests
{
    [Theory]
    [InlineData("+8613812345678")]
    [InlineData("+85291234567")]
    [InlineData("+14155552671")]
    [InlineData("+447911123456")]
    public void MaskE164_ValidNumber_SameAsParsedMasked(string e164)
    {
        Assert.Equal(PhoneNumber.FromE164(e164).Masked, PhoneNumber.MaskE164(e164));
    }

    [Fact]
    public void MaskE164_NumberTodaysRulesRefuse_MaskedWithoutThrowing()
    {
        // CN mobile numbers are 11 digits; a 10-digit one stored long ago must still be maskable.
        Assert.False(PhoneNumber.TryParse("+861381234567", null, out _, out _));

        Assert.Equal("+86******4567", PhoneNumber.MaskE164("+861381234567"));
    }

    [Fact]
    public void MaskE164_NotE164_MaskedWhole()
    {
        Assert.Equal("*****", PhoneNumber.MaskE164("+0123"));
    }
}
