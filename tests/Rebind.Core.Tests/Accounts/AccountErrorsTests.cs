using Rebind.Core.Accounts;
using Rebind.Core.Flows;

namespace Rebind.Core.Tests.Accounts;

public sealed class AccountErrorsTests
{
    [Fact]
    public void Text_EveryCode_HasChineseAndEnglish()
    {
        foreach (var code in AccountErrors.All)
        {
            var en = AccountErrors.Text(code, "en");
            var zh = AccountErrors.Text(code, "zh-CN");
            Assert.False(string.IsNullOrWhiteSpace(en), code);
            Assert.False(string.IsNullOrWhiteSpace(zh), code);
            Assert.NotEqual(en, zh);
        }
    }

    [Fact]
    public void Errors_KindsAndDetails()
    {
        Assert.Equal(ErrorKind.Unauthorized, AccountErrors.InvalidCredentials().Kind);
        Assert.Equal(ErrorKind.TooManyRequests, AccountErrors.SignInThrottled(30).Kind);
        Assert.Equal(30, AccountErrors.SignInThrottled(30).Details["retryAfterSeconds"]);
        Assert.Equal(ErrorKind.Forbidden, AccountErrors.PasswordResetRequired().Kind);
        Assert.Equal(FlowErrorCodes.ReauthenticationRequired, AccountErrors.ReauthenticationRequired().Code);
        Assert.Equal(ErrorKind.Unauthorized, AccountErrors.ReauthenticationRequired().Kind);
        Assert.Equal(ErrorKind.NotFound, AccountErrors.SessionNotFound().Kind);
    }

    [Fact]
    public void Codes_DoNotCollideWithFlowCatalogueExceptShared()
    {
        var shared = AccountErrors.All.Intersect(FlowErrorCodes.All).ToList();

        Assert.Equal([AccountErrors.ReauthenticationRequiredCode], shared);
    }
}
