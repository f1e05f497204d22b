using Rebind.Azure.Communication.Email;
using Rebind.Azure.Communication.Sms;
using Rebind.Azure.Messaging;
using Rebind.Core.Messaging;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Communication;

public class AcsSenderTests : IAsyncLifetime
{
    private AcsStandIn standIn = null!;
    private readonly ListLogger<AcsSmsSender> smsLog = new();
    private readonly ListLogger<AcsEmailSender> emailLog = new();

    public async Task InitializeAsync() => standIn = await AcsStandIn.StartAsync();

    public async Task DisposeAsync() => await standIn.DisposeAsync();

    [Fact]
    public async Task SmsSend_Accepted_DeliveredWithIdempotencyKeyAsRepeatabilityId()
    {
        var message = AcsTestSupport.SmsMessage();

        var outcome = await SmsSender().SendAsync(message);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        var delivery = Assert.Single(standIn.SmsDeliveries);
        Assert.Equal(delivery.MessageId, outcome.ProviderMessageId);
        Assert.Equal(message.IdempotencyKey, delivery.RepeatabilityRequestId);
        Assert.Equal("Thu, 15 Jan 2026 09:00:00 GMT", delivery.RepeatabilityFirstSent);
        Assert.Equal("+18005550100", delivery.From);
        Assert.Equal(MessageTemplates.Render(message).Text, delivery.Message);
    }

    [Fact]
    public async Task SmsSend_SameMessageTwice_ReachesThePersonOnce()
    {
        var message = AcsTestSupport.SmsMessage();
        var sender = SmsSender();

        var first = await sender.SendAsync(message);
        var second = await sender.SendAsync(message);

        Assert.Equal(SendStatus.Delivered, first.Status);
        Assert.Equal(SendStatus.Delivered, second.Status);
        Assert.Equal(first.ProviderMessageId, second.ProviderMessageId);
        Assert.Single(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SmsSend_WrongKey_IsPermanent()
    {
        var options = Options();
        var client = new SmsClient($"endpoint={standIn.Endpoint};accesskey={Convert.ToBase64String(new byte[32])}", AcsTestSupport.Fast(new SmsClientOptions()));

        var outcome = await new AcsSmsSender(client, options, smsLog).SendAsync(AcsTestSupport.SmsMessage());

        Assert.Equal(SendStatus.Permanent, outcome.Status);
        Assert.Equal("acs 401 Denied", outcome.Detail);
    }

    [Fact]
    public async Task SmsSend_ThrottledBeyondRetries_IsTransientWithRetryAfter()
    {
        standIn.ScriptSms(AcsStandInReply.Throttled(0), AcsStandInReply.Throttled(0), AcsStandInReply.Error(429, "TooManyRequests", "Slow down.", retryAfterSeconds: 0));

        var outcome = await SmsSender().SendAsync(AcsTestSupport.SmsMessage());

        Assert.Equal(SendStatus.Transient, outcome.Status);
        Assert.Equal(TimeSpan.Zero, outcome.RetryAfter);
        Assert.Equal(3, standIn.SmsRequests.Count);
        Assert.Empty(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SmsSend_500ThenAccepted_DeliveredOnceWithSameId()
    {
        standIn.ScriptSms(AcsStandInReply.ServerError());
        var message = AcsTestSupport.SmsMessage();

        var outcome = await SmsSender().SendAsync(message);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        Assert.Equal(2, standIn.SmsRequests.Count);
        Assert.Equal(message.IdempotencyKey, Assert.Single(standIn.SmsDeliveries).RepeatabilityRequestId);
    }

    [Fact]
    public async Task SmsSend_400_IsPermanentAndSentOnce()
    {
        standIn.ScriptSms(AcsStandInReply.BadRequest("InvalidSender", "Sender not owned."));

        var outcome = await SmsSender().SendAsync(AcsTestSupport.SmsMessage());

        Assert.Equal(SendStatus.Permanent, outcome.Status);
        Assert.Equal("acs 400 InvalidSender", outcome.Detail);
        Assert.Single(standIn.SmsRequests);
    }

    [Fact]
    public async Task SmsSend_202WithFailedRecipient_IsPermanent()
    {
        standIn.ScriptSms(AcsStandInReply.FailedRecipient());

        var outcome = await SmsSender().SendAsync(AcsTestSupport.SmsMessage());

        Assert.Equal(SendStatus.Permanent, outcome.Status);
        Assert.Single(standIn.SmsRequests);
        Assert.Empty(standIn.SmsDeliveries);
    }

    [Fact]
    public async Task SmsSend_NothingListening_IsTransient()
    {
        var client = new SmsClient($"endpoint=http://127.0.0.1:{Azurite.FreePort()}/;accesskey={standIn.AccessKey}", AcsTestSupport.Fast(new SmsClientOptions()));

        var outcome = await new AcsSmsSender(client, Options(), smsLog).SendAsync(AcsTestSupport.SmsMessage());

        Assert.Equal(SendStatus.Transient, outcome.Status);
    }

    [Fact]
    public async Task SmsSend_Logs_NeitherCodeNorTextNorFullNumber()
    {
        var message = AcsTestSupport.SmsMessage();
        standIn.ScriptSms(AcsStandInReply.ServerError());

        await SmsSender().SendAsync(message);

        var log = string.Join("\n", smsLog.Lines);
        Assert.Contains("+86*******5678", log, StringComparison.Ordinal);
        Assert.Contains(message.IdempotencyKey.ToString(), log, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", log, StringComparison.Ordinal);
        Assert.DoesNotContain("+8613812345678", log, StringComparison.Ordinal);
        Assert.DoesNotContain("验证码", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmsSend_EmailMessage_IsPermanentWithoutRequest()
    {
        var outcome = await SmsSender().SendAsync(AcsTestSupport.EmailMessage());

        Assert.Equal(SendStatus.Permanent, outcome.Status);
        Assert.Empty(standIn.Requests);
    }

    [Fact]
    public async Task SmsSend_MissingTemplateValue_IsPermanentWithoutRequest()
    {
        var message = AcsTestSupport.SmsMessage() with { Values = new Dictionary<string, string>() };

        var outcome = await SmsSender().SendAsync(message);

        Assert.Equal(SendStatus.Permanent, outcome.Status);
        Assert.Empty(standIn.Requests);
    }

    [Fact]
    public async Task EmailSend_Succeeded_DeliveredWithIdempotencyKeyAsOperationId()
    {
        standIn.ScriptEmailStatuses("Running", "Succeeded");
        var message = AcsTestSupport.EmailMessage();

        var outcome = await EmailSender().SendAsync(message);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        Assert.Equal(message.IdempotencyKey.ToString(), outcome.ProviderMessageId);
        var delivery = Assert.Single(standIn.EmailDeliveries);
        Assert.Equal(message.IdempotencyKey.ToString(), delivery.OperationId);
        var rendered = MessageTemplates.Render(message);
        Assert.Equal(rendered.Subject, delivery.Subject);
        Assert.Equal(rendered.Text, delivery.PlainText);
        Assert.Equal(rendered.Html, delivery.Html);
        Assert.Equal("DoNotReply@rebind.example", Assert.Single(standIn.EmailRequests).Json!["senderAddress"]!.GetValue<string>());
        Assert.True(Assert.Single(standIn.EmailRequests).Json!["userEngagementTrackingDisabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task EmailSend_Failed_IsPermanent()
    {
        standIn.ScriptEmailStatuses("Running", "Failed");

        var outcome = await EmailSender().SendAsync(AcsTestSupport.EmailMessage());

        Assert.Equal(SendStatus.Permanent, outcome.Status);
        Assert.Equal("email operation Failed EmailDroppedAllRecipientsSuppressed", outcome.Detail);
    }

    [Fact]
    public async Task EmailSend_Canceled_IsPermanent()
    {
        standIn.ScriptEmailStatuses("Canceled");

        var outcome = await EmailSender().SendAsync(AcsTestSupport.EmailMessage());

        Assert.Equal(SendStatus.Permanent, outcome.Status);
    }

    [Fact]
    public async Task EmailSend_StillRunningAfterTheBound_IsTransientAndRetrySendsNoSecondEmail()
    {
        standIn.ScriptEmailStatuses("Running");
        var options = Options();
        options.EmailMaxWait = TimeSpan.FromMilliseconds(100);
        var sender = EmailSender(options);
        var message = AcsTestSupport.EmailMessage();

        var first = await sender.SendAsync(message);
        var second = await sender.SendAsync(message);

        Assert.Equal(SendStatus.Transient, first.Status);
        Assert.Equal(SendStatus.Transient, second.Status);
        Assert.Contains(standIn.Requests, r => r.Route == "email-status");
        Assert.Equal(2, standIn.EmailRequests.Count);
        Assert.Single(standIn.EmailDeliveries);
    }

    [Fact]
    public async Task EmailSend_400_IsPermanent()
    {
        standIn.ScriptEmail(AcsStandInReply.BadRequest("InvalidSenderDomain", "Domain not linked."));

        var outcome = await EmailSender().SendAsync(AcsTestSupport.EmailMessage());

        Assert.Equal(SendStatus.Permanent, outcome.Status);
        Assert.Equal("acs 400 InvalidSenderDomain", outcome.Detail);
        Assert.Single(standIn.EmailRequests);
    }

    [Fact]
    public async Task EmailSend_Logs_NeitherCodeNorFullAddress()
    {
        var message = AcsTestSupport.EmailMessage();

        await EmailSender().SendAsync(message);

        var log = string.Join("\n", emailLog.Lines);
        Assert.Contains("a***@example.com", log, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", log, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@example.com", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageSender_ByChannel_RoutesToSmsAndEmail()
    {
        var sender = new AcsMessageSender(SmsSender(), EmailSender());

        var sms = await sender.SendAsync(AcsTestSupport.SmsMessage());
        var email = await sender.SendAsync(AcsTestSupport.EmailMessage());

        Assert.Equal(SendStatus.Delivered, sms.Status);
        Assert.Equal(SendStatus.Delivered, email.Status);
        Assert.Single(standIn.SmsDeliveries);
        Assert.Single(standIn.EmailDeliveries);
    }

    [Fact]
    public void ClientFactory_EndpointWithoutCredential_Throws()
    {
        var options = new AcsOptions { Endpoint = "https://x.communication.azure.com/" };

        Assert.Throws<InvalidOperationException>(() => AcsClientFactory.CreateSmsClient(options));
        Assert.IsType<EmailClient>(AcsClientFactory.CreateEmailClient(options, new RecordingCredential()));
    }

    private AcsOptions Options() => new()
    {
        ConnectionString = standIn.ConnectionString,
        SmsFrom = "+18005550100",
        EmailFrom = "DoNotReply@rebind.example",
        EmailPollInterval = TimeSpan.FromMilliseconds(10),
        EmailMaxWait = TimeSpan.FromSeconds(5),
    };

    private AcsSmsSender SmsSender()
    {
        var options = Options();
        return new AcsSmsSender(AcsClientFactory.CreateSmsClient(options, clientOptions: AcsTestSupport.Fast(new SmsClientOptions())), options, smsLog);
    }

    private AcsEmailSender EmailSender(AcsOptions? options = null)
    {
        options ??= Options();
        return new AcsEmailSender(AcsClientFactory.CreateEmailClient(options, clientOptions: AcsTestSupport.Fast(new EmailClientOptions())), options, emailLog);
    }
}
