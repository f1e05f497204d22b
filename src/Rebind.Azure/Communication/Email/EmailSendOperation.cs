using System.Text.Json;
using Azure;

namespace Rebind.Azure.Communication.Email;

/// <summary>
/// A long-running email send (<c>GET /emails/operations/{id}</c>). As in the official SDK, a Failed or
/// Canceled operation makes <see cref="UpdateStatusAsync"/>, <see cref="WaitForCompletionAsync(CancellationToken)"/>
/// and <see cref="Value"/> throw a <see cref="RequestFailedException"/> carrying the service's error code.
/// Async only: the synchronous members throw <see cref="NotSupportedException"/>.
/// </summary>
public class EmailSendOperation : Operation<EmailSendResult>
{
    private static readonly TimeSpan DefaultPollingInterval = TimeSpan.FromSeconds(1);

    private readonly EmailClient client;
    private Response? rawResponse;
    private EmailSendResult? result;
    private RequestFailedException? failure;
    private bool hasCompleted;

    /// <summary>Resumes watching the operation <paramref name="id"/> (e.g. after a restart).</summary>
    public EmailSendOperation(string id, EmailClient client)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(client);
        Id = id;
        this.client = client;
    }

    /// <summary>For mocking.</summary>
    protected EmailSendOperation()
    {
        Id = string.Empty;
        client = null!;
    }

    internal EmailSendOperation(EmailClient client, string id, Response initial)
        : this(id, client)
    {
        Apply(initial);
    }

    /// <summary>The operation id (the <c>Operation-Id</c> the send carried).</summary>
    public override string Id { get; }

    /// <summary>The final result. Throws while the operation runs, and when it failed or was canceled.</summary>
    public override EmailSendResult Value =>
        !hasCompleted ? throw new InvalidOperationException("The email send operation has not completed.")
        : failure is not null ? throw failure
        : result!;

    /// <summary>Whether the operation completed successfully.</summary>
    public override bool HasValue => hasCompleted && failure is null;

    /// <summary>Whether the operation reached Succeeded, Failed or Canceled.</summary>
    public override bool HasCompleted => hasCompleted;

    /// <summary>The last status the service reported, also while the operation runs.</summary>
    public EmailSendStatus? LastStatus => result?.Status;

    /// <summary>The last response from the service; <c>null</c> before the first update of a resumed operation.</summary>
    public override Response GetRawResponse() => rawResponse!;

    /// <summary>Asks the service for the current status.</summary>
    /// <exception cref="RequestFailedException">The poll failed, or the operation failed or was canceled.</exception>
    public override async ValueTask<Response> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        if (!hasCompleted)
        {
            await client.GetSendResultAsync(Id, Apply, cancellationToken).ConfigureAwait(false);
        }
        if (failure is not null)
        {
            throw failure;
        }
        return rawResponse!;
    }

    /// <summary>Not supported: this client is async only.</summary>
    public override Response UpdateStatus(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Async only: use UpdateStatusAsync.");

    /// <summary>Polls until the operation completes, waiting as long as the service's <c>Retry-After</c> asks (1 s without one).</summary>
    public override ValueTask<Response<EmailSendResult>> WaitForCompletionAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(null, cancellationToken);

    /// <summary>Polls every <paramref name="pollingInterval"/> until the operation completes.</summary>
    public override ValueTask<Response<EmailSendResult>> WaitForCompletionAsync(TimeSpan pollingInterval, CancellationToken cancellationToken = default) =>
        WaitAsync(pollingInterval, cancellationToken);

    private async ValueTask<Response<EmailSendResult>> WaitAsync(TimeSpan? pollingInterval, CancellationToken cancellationToken)
    {
        if (rawResponse is null)
        {
            await UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        while (!hasCompleted)
        {
            await Task.Delay(pollingInterval ?? ServerDelay() ?? DefaultPollingInterval, cancellationToken).ConfigureAwait(false);
            await UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        return Response.FromValue(Value, rawResponse!);
    }

    private TimeSpan? ServerDelay() =>
        rawResponse is not null && rawResponse.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private void Apply(Response response)
    {
        rawResponse = response;
        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var root = document.RootElement;
        var id = root.TryGetProperty("id", out var idElement) ? idElement.GetString() ?? Id : Id;
        var status = new EmailSendStatus(root.GetProperty("status").GetString() ?? string.Empty);
        result = new EmailSendResult(id, status);
        if (!status.IsTerminal)
        {
            return;
        }

        hasCompleted = true;
        if (status != EmailSendStatus.Succeeded)
        {
            // The body's {"error":{"code","message"}} becomes ErrorCode and Message.
            failure = new RequestFailedException(response);
        }
    }
}
