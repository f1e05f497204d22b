using Rebind.Core.Sessions;

namespace Rebind.Core.Tests.Sessions;

public sealed class SessionTokensTests
{
    [Fact]
    public void NewToken_256BitsBase64Url_DistinctAndHashable()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => SessionTokens.NewToken()).ToList();

        Assert.All(tokens, t => Assert.Equal(43, t.Length));
        Assert.All(tokens, t => Assert.Matches("^[A-Za-z0-9_-]{43}$", t));
        Assert.Equal(100, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Matches("^[0-9a-f]{64}$", SessionTokens.Hash(t)!));
    }

    [Fact]
    public void Hash_SameToken_SameHash()
    {
        var token = SessionTokens.NewToken();

        Assert.Equal(SessionTokens.Hash(token), SessionTokens.Hash(token));
        Assert.NotEqual(SessionTokens.Hash(token), SessionTokens.Hash(SessionTokens.NewToken()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Hash_NotOurShape_Null(string? token)
    {
        Assert.Null(SessionTokens.Hash(token));
    }

    [Fact]
    public void IsSessionId_OnlyLowerHex32()
    {
        Assert.True(SessionTokens.IsSessionId(SessionTokens.NewSessionId()));
        Assert.False(SessionTokens.IsSessionId("../account"));
        Assert.False(SessionTokens.IsSessionId(SessionTokens.NewSessionId().ToUpperInvariant()));
        Assert.False(SessionTokens.IsSessionId(null));
    }
}
