using System.Diagnostics.Metrics;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Functions.Flows;

namespace Rebind.Functions.Telemetry;

/// <summary>
/// The flows' counters, on meter <see cref="PasswordStepMetrics.MeterName"/>: flows started and ended by kind (and how
/// they ended), codes and notices sent by channel, sends that failed, and rate limits hit by rule. Tags are kinds,
/// states, stable error codes, channels and rule names only: never an identifier, a destination or a flow id.
/// </summary>
public sealed class FlowMetrics : IFlowStepObserver
{
    public const string FlowsStarted = "rebind.flows.started";
    public const string FlowsEnded = "rebind.flows.ended";
    public const string CodesSent = "rebind.codes.sent";
    public const string NoticesSent = "rebind.notices.sent";
    public const string SendsFailed = "rebind.messages.failed";
    public const string LimitsHit = "rebind.limits.hit";

    private readonly Counter<long> started;
    private readonly Counter<long> ended;
    private readonly Counter<long> codes;
    private readonly Counter<long> notices;
    private readonly Counter<long> failed;
    private readonly Counter<long> limits;

    public FlowMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(PasswordStepMetrics.MeterName);
        started = meter.CreateCounter<long>(FlowsStarted, "{flow}", "Flows started, by kind.");
        ended = meter.CreateCounter<long>(FlowsEnded, "{flow}", "Flows that reached a final state (completed, expired, failed, cancelled), by kind and outcome code.");
        codes = meter.CreateCounter<long>(CodesSent, "{message}", "Codes the provider took, by channel (pretend and held-back codes are not sent).");
        notices = meter.CreateCounter<long>(NoticesSent, "{message}", "Notices the provider took, by channel.");
        failed = meter.CreateCounter<long>(SendsFailed, "{attempt}", "Send attempts the provider did not take, by channel, message type (code, notice) and reason (transient, permanent).");
        limits = meter.CreateCounter<long>(LimitsHit, "{refusal}", "Rate-limit refusals, by rule.");
    }

    public Task OnStepAsync(Flow? before, FlowStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var flow = step.Flow;
        if (before is null)
        {
            started.Add(1, new KeyValuePair<string, object?>("kind", flow.Kind));
        }
        if (flow.IsTerminal && before?.IsTerminal != true)
        {
            ended.Add(1, new KeyValuePair<string, object?>("kind", flow.Kind), new KeyValuePair<string, object?>("state", flow.State),
                new KeyValuePair<string, object?>("outcome", flow.Outcome ?? "none"));
        }
        return Task.CompletedTask;
    }

    public void Sent(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        (IsCode(message) ? codes : notices).Add(1, new KeyValuePair<string, object?>("channel", Channel(message)));
    }

    public void SendFailed(OutboundMessage message, SendStatus status)
    {
        ArgumentNullException.ThrowIfNull(message);
        failed.Add(1, new KeyValuePair<string, object?>("channel", Channel(message)), new KeyValuePair<string, object?>("type", IsCode(message) ? "code" : "notice"),
            new KeyValuePair<string, object?>("reason", status == SendStatus.Permanent ? "permanent" : "transient"));
    }

    public void LimitHit(string rule) => limits.Add(1, new KeyValuePair<string, object?>("rule", rule));

    private static bool IsCode(OutboundMessage message) => message.Values.ContainsKey(MessageValues.CodeValue);

    private static string Channel(OutboundMessage message) => message.Channel == Core.Messaging.Channel.Sms ? "sms" : "email";
}
