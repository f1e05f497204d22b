using Rebind.Core.Security;

namespace Rebind.Core.Tests.Security;

public sealed class CryptoCodeGeneratorTests
{
    [Fact]
    public void Generate_ManyCodes_SixDigitsLeadingZerosAndRoughlyUniformDigits()
    {
        const int count = 20_000;
        var codes = Enumerable.Range(0, count).Select(_ => CryptoCodeGenerator.Instance.Generate(6)).ToList();

        Assert.All(codes, code => Assert.Matches("^[0-9]{6}$", code));
        // P(leading zero) = 10 %: about 2,000 expected; fewer than 1,500 is essentially impossible when uniform.
        Assert.InRange(codes.Count(c => c[0] == '0'), 1_500, 2_500);
        var firstDigits = codes.GroupBy(c => c[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, firstDigits.Count);
        Assert.All(firstDigits.Values, n => Assert.InRange(n, 1_500, 2_500));
        Assert.True(codes.Distinct().Count() > count * 0.97);
    }

    [Fact]
    public void Generate_EightDigits_KeepsLength()
    {
        Assert.Equal(8, CryptoCodeGenerator.Instance.Generate(8).Length);
    }
}
