namespace Rebind.Core.Accounts;

/// <summary>The keys of <see cref="Account.Profile"/> the app itself reads (support cases score against them).</summary>
public static class ProfileKeys
{
    public const string Nickname = "nickname";

    /// <summary>The company or team name.</summary>
    public const string Team = "team";

    /// <summary>At most this many characters per value.</summary>
    public const int MaxLength = 64;
}
