using Rebind.Core.Security;

namespace Rebind.Core.Tests.Security;

public sealed class ReportCodesTests
{
    [Fact]
    public void New_Twice_DistinctCrockfordCodesOf130Bits()
    {
        var (a, hashA) = ReportCodes.New();
        var (b, _) = ReportCodes.New();

        Assert.NotEqual(a, b);
        Assert.Equal(26, a.Length);
        Assert.All(a, c => Assert.Contains(c, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"));
        Assert.Equal(64, hashA.Length);
        Assert.DoesNotContain(a, hashA, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TryHash_TypedInLowerCaseWithSpaces_SameHash()
    {
        var (code, hash) = ReportCodes.New();

        Assert.Equal(hash, ReportCodes.TryHash("  " + code.ToLowerInvariant() + " "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0123456789ABCDEFGHJKMNPQRSTV")]
    [InlineData("0123456789ABCDEFGHJKMNPQRU")]
    public void TryHash_CannotBeACode_Null(string? typed) => Assert.Null(ReportCodes.TryHash(typed));
}
