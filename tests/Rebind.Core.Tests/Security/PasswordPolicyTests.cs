using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Core.Tests.Security;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("river7stone")]
    [InlineData("密码安全测试2026")]
    [InlineData("Tr0ub4dor&3x")]
    public void Check_StrongPassword_Accepted(string password)
    {
        Assert.Null(PasswordPolicy.Check(password));
    }

    [Theory]
    [InlineData("a1b2c3d", "length")]
    [InlineData("", "length")]
    [InlineData(null, "length")]
    [InlineData("abcdefghij", "letter_and_digit")]
    [InlineData("1234567890123", "letter_and_digit")]
    [InlineData("password1", "common")]
    [InlineData("PASSWORD1", "common")]
    [InlineData("Qwerty123", "common")]
    [InlineData("woaini1314", "common")]
    [InlineData("1qaz2wsx", "common")]
    [InlineData("abcd1234", "common")]
    public void Check_WeakPassword_WeakPasswordNamingRule(string? password, string rule)
    {
        var error = PasswordPolicy.Check(password);

        Assert.Equal(FlowErrorCodes.WeakPassword, error?.Code);
        Assert.Equal(rule, error!.Details["rule"]);
    }

    [Fact]
    public void Check_129Characters_TooLong()
    {
        Assert.Equal("length", PasswordPolicy.Check("a1" + new string('x', 127))!.Details["rule"]);
        Assert.Null(PasswordPolicy.Check("a1" + new string('x', 126)));
    }

    [Fact]
    public void CommonList_Embedded_HasAtLeastTopThousand()
    {
        Assert.True(PasswordPolicy.CommonPasswordCount >= 1_000);
        Assert.True(PasswordPolicy.IsCommon("123456"));
        Assert.True(PasswordPolicy.IsCommon("Dragon"));
    }
}
