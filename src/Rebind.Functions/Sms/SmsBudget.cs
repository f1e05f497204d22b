using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Functions.Sms;

/// <summary>
/// Hourly SMS budgets, for every destination together and per region (Twilio Verify's Fraud Guard works on the same
/// idea: what toll fraud costs is bounded by what may go out per hour). Counted through <see cref="IRateLimiter"/>, so
/// every instance shares the counters (Table rows with ETag-conditional writes, sharded: the global counter is the
/// hottest row of the app). A region's budget is counted first: a flood to one country is stopped there and does not
/// spend the global budget the other countries live on.
/// <para>When a budget is hit, the first refusal of its window raises the alert: an Error log with event
/// <see cref="ExhaustedEvent"/> and one measurement of <c>rebind.sms.budget_exhausted</c>. "First" is decided in
/// storage (a counter of limit 1 for that budget and window), so several instances alert once, not once each.</para>
/// </summary>
public sealed partial class SmsBudget(IRateLimiter limiter, SmsOptions options, IMeterFactory meters, ILogger<SmsBudget> logger)
{
    public const string GlobalRule = "sms_budget_hour";
    public const string RegionRule = "sms_budget_region_hour";
    public const string MeterName = "Rebind.Sms";
    public const string ExhaustedMetric = "rebind.sms.budget_exhausted";
    public static readonly EventId ExhaustedEvent = new(7001, "SmsBudgetExhausted");
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private const string AlertRule = "sms_budget_alert";

    private readonly Counter<long> exhausted = meters.Create(MeterName).CreateCounter<long>(
        ExhaustedMetric, "{alert}", "An hourly SMS budget was spent: SMS codes are refused until its window ends. Once per budget and window.");

    /// <summary>The windows this instance has already seen alerted, so it asks storage once per budget and window.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> alerted = new(StringComparer.Ordinal);

    /// <summary>
    /// Counts one SMS code to <paramref name="destination"/> (E.164) on its region's budget and on the global one; null when
    /// both had room, else <c>sms_budget_exhausted</c> with the seconds until the window ends.
    /// </summary>
    public async Task<Error?> TryAcquireAsync(string destination, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var region = SmsRegions.BudgetRegionOf(destination);
        var perRegion = new RateLimitRule(RegionRule, options.BudgetOf(region), Window);
        if (await limiter.TryAcquireAsync(perRegion, region, now, cancellationToken) is { } regionSpent)
        {
            await AlertAsync("region", region, perRegion, now, cancellationToken);
            return Exhausted(regionSpent);
        }

        var global = new RateLimitRule(GlobalRule, options.BudgetPerHour, Window);
        if (await limiter.TryAcquireAsync(global, "all", now, cancellationToken) is { } globalSpent)
        {
            await AlertAsync("global", "all", global, now, cancellationToken);
            return Exhausted(globalSpent);
        }
        return null;
    }

    private static Error Exhausted(Error limited) =>
        FlowErrors.SmsBudgetExhausted(limited.Details.TryGetValue("retryAfterSeconds", out var s) && s is int seconds ? seconds : 1);

    private async Task AlertAsync(string budget, string scope, RateLimitRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = budget + "|" + scope;
        var window = RateLimits.WindowStart(rule, now);
        if (alerted.TryGetValue(key, out var seen) && seen == window)
        {
            return;
        }

        // Of every instance refusing in this window, the one whose count fits the limit of 1 raises the alert.
        var first = await limiter.TryAcquireAsync(new RateLimitRule(AlertRule, 1, rule.Window), key, now, cancellationToken) is null;
        alerted[key] = window;
        if (!first)
        {
            return;
        }

        LogExhausted(logger, budget, scope, rule.Limit, window + rule.Window);
        exhausted.Add(1, new KeyValuePair<string, object?>("budget", budget), new KeyValuePair<string, object?>("region", scope));
    }

    [LoggerMessage(EventId = 7001, EventName = "SmsBudgetExhausted", Level = LogLevel.Error,
        Message = "SMS budget exhausted: {Budget} {Scope} reached {Limit} SMS codes this hour; SMS codes are refused (sms_budget_exhausted) until {WindowEnd:O}")]
    private static partial void LogExhausted(ILogger logger, string budget, string scope, int limit, DateTimeOffset windowEnd);
}
