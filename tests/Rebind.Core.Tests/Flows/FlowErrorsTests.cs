using System.Reflection;
using Rebind.Core.Flows;

namespace Rebind.Core.Tests.Flows;

public sealed class FlowErrorsTests
{
    public static TheoryData<string> Codes => new(FlowErrorCodes.All);

    [Theory]
    [MemberData(nameof(Codes))]
    public void For_EveryCatalogueCode_HasDistinctChineseAndEnglishText(string code)
    {
        var en = ErrorText.For(code, "en");
        var zh = ErrorText.For(code, "zh-CN");

        Assert.False(string.IsNullOrWhiteSpace(en));
        Assert.False(string.IsNullOrWhiteSpace(zh));
        Assert.NotEqual(en, zh);
        Assert.Contains(zh, c => c >= '\u4e00' && c <= '\u9fff');
    }

    [Fact]
    public void All_EveryFactoryMethod_ReturnsACatalogueCode()
    {
        var methods = typeof(FlowErrors).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Error) && m.Name is not nameof(FlowErrors.ForTerminal) and not nameof(FlowErrors.ForFailedEffect));

        var codes = methods.Select(m => ((Error)m.Invoke(null, m.GetParameters().Select(Sample).ToArray())!).Code).ToList();

        Assert.True(codes.Count >= 20);
        Assert.All(codes, code => Assert.Contains(code, FlowErrorCodes.All));
        Assert.Equal(FlowErrorCodes.All.Order(), codes.Distinct().Order());
    }

    [Fact]
    public void All_Codes_AreSnakeCaseAndUnique()
    {
        Assert.All(FlowErrorCodes.All, code => Assert.Matches("^[a-z]+(_[a-z]+)*$", code));
        Assert.Equal(FlowErrorCodes.All.Count, FlowErrorCodes.All.Distinct().Count());
    }

    [Fact]
    public void For_UnknownCultureOrCode_FallsBackToEnglishOrNull()
    {
        Assert.Equal(ErrorText.For("invalid_code", "en"), ErrorText.For("invalid_code", "fr-FR"));
        Assert.Equal(ErrorText.For("invalid_code", "zh-CN"), ErrorText.For("invalid_code", "zh-TW"));
        Assert.Null(ErrorText.For("no_such_code", "en"));
    }

    [Fact]
    public void WeakPassword_EachRule_MessageStatesTheRule()
    {
        Assert.Contains("8 to 128", FlowErrors.WeakPassword("length").Message, StringComparison.Ordinal);
        Assert.Contains("one letter and one digit", FlowErrors.WeakPassword("letter_and_digit").Message, StringComparison.Ordinal);
        Assert.Contains("too common", FlowErrors.WeakPassword("common").Message, StringComparison.Ordinal);
    }

    private static object? Sample(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(int) ? 3 : parameter.HasDefaultValue ? parameter.DefaultValue : "awaiting_code";
}
