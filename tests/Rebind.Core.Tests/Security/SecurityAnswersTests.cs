using Rebind.Core.Accounts;
using Rebind.Core.Security;

namespace Rebind.Core.Tests.Security;

public sealed class SecurityAnswersTests
{
    private readonly PasswordHasher fast = PasswordHasher.ForTests(1_000);

    [Theory]
    [InlineData("Ｂｅｉｊｉｎｇ  ", "beijing")]
    [InlineData("北京 ", "北京")]
    [InlineData("  New\u3000 York\t", "new york")]
    [InlineData("ＡＢＣ１２３", "abc123")]
    [InlineData("Straße", "straße")]
    public void Normalize_WidthCaseAndSpaces_Folded(string input, string expected)
    {
        Assert.Equal(expected, SecurityAnswers.Normalize(input));
    }

    [Fact]
    public void Verify_FullWidthAndCaseVariant_Matches()
    {
        var question = new SecurityQuestion("q1", "City of birth?", SecurityAnswers.Hash(fast, "beijing"));

        Assert.True(SecurityAnswers.Verify(fast, question, "Ｂｅｉｊｉｎｇ  "));
        Assert.True(SecurityAnswers.Verify(fast, question, " BEIJING"));
        Assert.False(SecurityAnswers.Verify(fast, question, "shanghai"));
        Assert.False(SecurityAnswers.Verify(fast, question, null));
    }

    [Fact]
    public void Verify_ChineseWithTrailingSpace_Matches()
    {
        var question = new SecurityQuestion("q1", "出生城市？", SecurityAnswers.Hash(fast, "北京"));

        Assert.True(SecurityAnswers.Verify(fast, question, "北京 "));
        Assert.False(SecurityAnswers.Verify(fast, question, "南京"));
    }

    [Fact]
    public void VerifyAll_OneWrong_False()
    {
        var questions = new[]
        {
            new SecurityQuestion("a", "Q1", SecurityAnswers.Hash(fast, "one")),
            new SecurityQuestion("b", "Q2", SecurityAnswers.Hash(fast, "two")),
        };

        Assert.True(SecurityAnswers.VerifyAll(fast, questions, new Dictionary<string, string> { ["a"] = "ONE", ["b"] = "two " }));
        Assert.False(SecurityAnswers.VerifyAll(fast, questions, new Dictionary<string, string> { ["a"] = "one", ["b"] = "three" }));
        Assert.False(SecurityAnswers.VerifyAll(fast, questions, new Dictionary<string, string> { ["a"] = "one" }));
        Assert.False(SecurityAnswers.VerifyAll(fast, [], new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData(0, "count")]
    [InlineData(2, "count")]
    [InlineData(4, "count")]
    public void Check_WrongCount_InvalidSecurityQuestions(int count, string rule)
    {
        var items = SecurityQuestionCatalogue.Ids.Take(count).Select(id => ((string?)id, (string?)"answer")).ToList();

        var error = SecurityAnswers.Check(items);

        Assert.Equal(AccountErrors.InvalidSecurityQuestionsCode, error?.Code);
        Assert.Equal(rule, error!.Details["rule"]);
    }

    [Fact]
    public void Check_BlankAnswerDuplicateOrFreeTextQuestion_Rejected()
    {
        // Free-text questions were accepted before the catalogue; now any question outside it is refused.
        Assert.Equal("answer", SecurityAnswers.Check([("first_pet", "   "), ("birth_city", "b"), ("first_car", "c")])!.Details["rule"]);
        Assert.Equal("question", SecurityAnswers.Check([(" ", "a"), ("birth_city", "b"), ("first_car", "c")])!.Details["rule"]);
        Assert.Equal("question", SecurityAnswers.Check([("Pet?", "a"), ("birth_city", "b"), ("first_car", "c")])!.Details["rule"]);
        Assert.Equal("duplicate", SecurityAnswers.Check([("first_pet", "a"), ("first_pet", "b"), ("first_car", "c")])!.Details["rule"]);
        Assert.Null(SecurityAnswers.Check([("first_pet", "a"), ("birth_city", "b"), ("first_car", "c")]));
    }

    [Fact]
    public void AreFromCatalogue_FreeTextOrTooFew_False()
    {
        var hash = "h";
        SecurityQuestion Q(string id, string? text = null) => new(id, text ?? id, hash);

        Assert.True(SecurityAnswers.AreFromCatalogue([Q("first_pet"), Q("birth_city"), Q("first_car")]));
        Assert.False(SecurityAnswers.AreFromCatalogue([Q("first_pet"), Q("birth_city")]));
        Assert.False(SecurityAnswers.AreFromCatalogue([Q("a1b2c3d4e5f6", "Pet?"), Q("birth_city"), Q("first_car")]));
    }
}
