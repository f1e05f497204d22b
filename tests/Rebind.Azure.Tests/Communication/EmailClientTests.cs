using Azure;
using Rebind.Azure.Communication.Email;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Communication;

public class EmailClientTests : IAsyncLifetime
{
    private const string From = "DoNotReply@rebind.example";
    private AcsStandIn standIn = null!;

    public async Task InitializeAsync() => standIn = await AcsStandIn.StartAsync();

    public async Task DisposeAsync() => await standIn.DisposeAsync();

    [Fact]
    public async Task SendAsync_Started_CarriesOperationIdAndBody()
    {
        var client = AcsTestSupport.Email(standIn);
        var operationId = Guid.NewGuid();

        var operation = await client.SendAsync(WaitUntil.Started, Message(), operationId);

        Assert.Equal(operationId.ToString(), operation.Id);
        Assert.False(operation.HasCompleted);
        Assert.Equal(EmailSendStatus.Running, operation.LastStatus);
        var sent = Assert.Single(standIn.EmailRequests);
        Assert.Equal(operationId.ToString(), sent.Header("Operation-Id"));
        Assert.Equal("/emails:send?api-version=2023-03-31", sent.PathAndQuery);
        var delivery = Assert.Single(standIn.EmailDeliveries);
        Assert.Equal(["alice@example.com"], delivery.To);
        Assert.Equal("Subject", delivery.Subject);
        Assert.Equal("text", delivery.PlainText);
        Assert.Equal("<p>html</p>", delivery.Html);
    }

    [Fact]
    public async Task WaitForCompletionAsync_RunningThenSucceeded_ReturnsSucceeded()
    {
        standIn.ScriptEmailStatuses("Running", "Running", "Succeeded");
        var client = AcsTestSupport.Email(standIn);
        var operation = await client.SendAsync(WaitUntil.Started, Message(), Guid.NewGuid());

        var result = await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(10));

        Assert.Equal(EmailSendStatus.Succeeded, result.Value.Status);
        Assert.Equal(operation.Id, result.Value.Id);
        Assert.True(operation.HasCompleted);
        Assert.True(operation.HasValue);
        Assert.Equal(3, standIn.Requests.Count(r => r.Route == "email-status"));
    }

    [Fact]
    public async Task SendAsync_WaitUntilCompletedAndFailed_ThrowsWithServiceErrorCode()
    {
        standIn.ScriptEmailStatuses("Running", "Failed");
        var client = AcsTestSupport.Email(standIn);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(WaitUntil.Completed, Message(), Guid.NewGuid()));

        Assert.Equal("EmailDroppedAllRecipientsSuppressed", error.ErrorCode);
    }

    [Fact]
    public async Task UpdateStatusAsync_Failed_ValueThrowsAndHasValueIsFalse()
    {
        standIn.ScriptEmailStatuses("Failed");
        var client = AcsTestSupport.Email(standIn);
        var operation = await client.SendAsync(WaitUntil.Started, Message(), Guid.NewGuid());

        await Assert.ThrowsAsync<RequestFailedException>(async () => await operation.UpdateStatusAsync());

        Assert.True(operation.HasCompleted);
        Assert.False(operation.HasValue);
        Assert.Equal(EmailSendStatus.Failed, operation.LastStatus);
        Assert.Throws<RequestFailedException>(() => operation.Value);
    }

    [Fact]
    public async Task SendAsync_SameOperationIdTwice_DeliversOnce()
    {
        var client = AcsTestSupport.Email(standIn);
        var operationId = Guid.NewGuid();

        await client.SendAsync(WaitUntil.Started, Message(), operationId);
        var again = await client.SendAsync(WaitUntil.Started, Message(), operationId);

        Assert.Equal(2, standIn.EmailRequests.Count);
        Assert.Single(standIn.EmailDeliveries);
        Assert.Equal(operationId.ToString(), again.Id);
    }

    [Fact]
    public async Task SendAsync_429ThenAccepted_RetriesWithSameOperationId()
    {
        standIn.ScriptEmail(AcsStandInReply.Throttled(retryAfterSeconds: 0));
        var client = AcsTestSupport.Email(standIn);
        var operationId = Guid.NewGuid();

        await client.SendAsync(WaitUntil.Started, Message(), operationId);

        var attempts = standIn.EmailRequests;
        Assert.Equal([429, 202], attempts.Select(a => a.Status));
        Assert.All(attempts, a => Assert.Equal(operationId.ToString(), a.Header("Operation-Id")));
        Assert.Single(standIn.EmailDeliveries);
    }

    [Fact]
    public async Task SendAsync_NoContent_StandInAnswers400()
    {
        var client = AcsTestSupport.Email(standIn);
        var message = new EmailMessage(From, "alice@example.com", new EmailContent("Subject"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SendAsync(WaitUntil.Started, message, Guid.NewGuid()));

        Assert.Equal(400, error.Status);
        Assert.Single(standIn.EmailRequests);
        Assert.Empty(standIn.EmailDeliveries);
    }

    [Fact]
    public async Task Constructor_ResumedOperation_PollsByItsId()
    {
        var client = AcsTestSupport.Email(standIn);
        var sent = await client.SendAsync(WaitUntil.Started, Message(), Guid.NewGuid());

        var resumed = new EmailSendOperation(sent.Id, client);
        await resumed.UpdateStatusAsync();

        Assert.True(resumed.HasCompleted);
        Assert.Equal(EmailSendStatus.Succeeded, resumed.Value.Status);
    }

    private static EmailMessage Message() =>
        new(From, "alice@example.com", new EmailContent("Subject") { PlainText = "text", Html = "<p>html</p>" });
}
