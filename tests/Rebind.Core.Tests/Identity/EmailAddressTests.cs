using Rebind.Core.Flows;
using Rebind.Core.Identity;

namespace Rebind.Core.Tests.Identity;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("li.wei@example.com", "li.wei@example.com")]
    [InlineData("  Li.Wei@Example.COM ", "li.wei@example.com")]
    [InlineData("user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie")]
    [InlineData("zhang@例子.中国", "zhang@xn--fsqu00a.xn--fiqs8s")]
    [InlineData("someone@BÜCHER.de", "someone@xn--bcher-kva.de")]
    [InlineData("trailing@example.com.", "trailing@example.com")]
    public void TryParse_Valid_Normalizes(string input, string expected)
    {
        var ok = EmailAddress.TryParse(input, out var email, out _);

        Assert.True(ok);
        Assert.Equal(expected, email.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("user@")]
    [InlineData("a@b@example.com")]
    [InlineData(".user@example.com")]
    [InlineData("user.@example.com")]
    [InlineData("us..er@example.com")]
    [InlineData("user@localhost")]
    [InlineData("user@-example.com")]
    [InlineData("user@example..com")]
    [InlineData("user@123.123")]
    [InlineData("\"quoted\"@example.com")]
    [InlineData("us er@example.com")]
    [InlineData("用户@example.com")]
    [InlineData("user@exa_mple.com")]
    public void TryParse_Invalid_ReturnsInvalidEmail(string? input)
    {
        var ok = EmailAddress.TryParse(input, out _, out var error);

        Assert.False(ok);
        Assert.Equal(FlowErrorCodes.InvalidEmail, error.Code);
    }

    [Fact]
    public void TryParse_LocalPartOver64_Invalid()
    {
        Assert.False(EmailAddress.TryParse(new string('a', 65) + "@example.com", out _, out _));
        Assert.True(EmailAddress.TryParse(new string('a', 64) + "@example.com", out _, out _));
    }

    [Fact]
    public void Masked_Address_HidesLocalPart()
    {
        EmailAddress.TryParse("li.wei@example.com", out var email, out _);

        Assert.Equal("l***@example.com", email.Masked);
        Assert.Equal(email.Masked, email.ToString());
    }
}
