namespace Rebind.Core;

/// <summary>The two cultures messages and error texts exist in.</summary>
public static class Cultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>Any Chinese tag (<c>zh</c>, <c>zh-Hans</c>, <c>zh-CN</c>, ...) → <c>zh-CN</c>; anything else → <c>en</c>.</summary>
    public static string Normalize(string? culture) =>
        culture is not null && (culture.Equals("zh", StringComparison.OrdinalIgnoreCase) || culture.StartsWith("zh-", StringComparison.OrdinalIgnoreCase))
            ? Chinese
            : English;
}
