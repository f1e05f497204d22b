using Rebind.Core.Messaging;

namespace Rebind.Functions.Telemetry;

/// <summary>
/// The app's <see cref="IMessageSender"/> with every attempt counted (<see cref="FlowMetrics.CodesSent"/>,
/// <see cref="FlowMetrics.NoticesSent"/>, <see cref="FlowMetrics.SendsFailed"/>), whoever sends: a flow's activities,
/// or the security notices sent directly. A sender that throws counts as a transient failure.
/// </summary>
public sealed class MeteredMessageSender(IMessageSender inner, FlowMetrics metrics) : IMessageSender
{
    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        SendOutcome outcome;
        try
        {
            outcome = await inner.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.SendFailed(message, SendStatus.Transient);
            throw;
        }

        if (outcome.Status == SendStatus.Delivered)
        {
            metrics.Sent(message);
        }
        else
        {
            metrics.SendFailed(message, outcome.Status);
        }
        return outcome;
    }
}
