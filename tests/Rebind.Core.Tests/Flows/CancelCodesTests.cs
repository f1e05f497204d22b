using Rebind.Core.Flows;

namespace Rebind.Core.Tests.Flows;

public sealed class CancelCodesTests
{
    [Fact]
    public void New_Code_IsFlowIdDotSixteenBase32Chars()
    {
        var (code, _) = CancelCodes.New("FLOWID");

        Assert.Matches("^FLOWID\\.[0-9A-HJKMNP-TV-Z]{16}$", code);
    }

    [Fact]
    public void New_TwoCodes_Differ()
    {
        Assert.NotEqual(CancelCodes.New("f").Code, CancelCodes.New("f").Code);
    }

    [Fact]
    public void Matches_CodeAsTypedWithSpacesAndLowerCase_True()
    {
        var (code, hash) = CancelCodes.New("FlowId_-x");
        var dot = code.LastIndexOf('.');

        Assert.True(CancelCodes.Matches(code, hash));
        Assert.True(CancelCodes.Matches("  " + code[..(dot + 1)] + code[(dot + 1)..].ToLowerInvariant() + " ", hash));
    }

    [Fact]
    public void Matches_OtherCodeOrGarbage_False()
    {
        var (_, hash) = CancelCodes.New("f");

        Assert.False(CancelCodes.Matches(CancelCodes.New("f").Code, hash));
        Assert.False(CancelCodes.Matches(null, hash));
        Assert.False(CancelCodes.Matches("f.x", "not base64"));
    }

    [Theory]
    [InlineData("abc.DEF", true, "abc")]
    [InlineData(" a.b.C ", true, "a.b")]
    [InlineData("nodot", false, "")]
    [InlineData(".x", false, "")]
    [InlineData("x.", false, "")]
    [InlineData(null, false, "")]
    public void TryGetFlowId_Input_ParsesFlowIdPart(string? code, bool ok, string flowId)
    {
        Assert.Equal((ok, flowId), (CancelCodes.TryGetFlowId(code, out var id), id));
    }

    [Fact]
    public void CancelWithCode_ToString_HidesCode()
    {
        Assert.DoesNotContain("SECRET", new CancelWithCode("f.SECRET").ToString(), StringComparison.Ordinal);
    }
}
