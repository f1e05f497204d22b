namespace Rebind.Core.Security;

/// <summary>At most <paramref name="Limit"/> events per fixed <paramref name="Window"/> (aligned to the Unix epoch) per key.</summary>
/// <param name="Name">Stable rule name, e.g. <c>sms_destination_hour</c>; part of the counter key.</param>
public sealed record RateLimitRule(string Name, int Limit, TimeSpan Window);
