using Azure.Core;
using Rebind.Azure.Communication.Email;
using Rebind.Azure.Communication.Sms;

namespace Rebind.Azure.Messaging;

/// <summary>Makes the ACS clients from <see cref="AcsOptions"/>: connection string first, else endpoint plus credential.</summary>
public static class AcsClientFactory
{
    /// <summary>Creates an <see cref="SmsClient"/>.</summary>
    /// <param name="options">The ACS settings.</param>
    /// <param name="credential">Needed when only <see cref="AcsOptions.Endpoint"/> is set (the app passes <c>DefaultAzureCredential</c>).</param>
    /// <param name="clientOptions">Retries, transport and diagnostics of the client.</param>
    public static SmsClient CreateSmsClient(AcsOptions options, TokenCredential? credential = null, SmsClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        clientOptions ??= new SmsClientOptions();
        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SmsClient(options.ConnectionString, clientOptions)
            : new SmsClient(Endpoint(options), credential ?? throw NoCredential(), clientOptions);
    }

    /// <summary>Creates an <see cref="EmailClient"/>.</summary>
    /// <param name="options">The ACS settings.</param>
    /// <param name="credential">Needed when only <see cref="AcsOptions.Endpoint"/> is set (the app passes <c>DefaultAzureCredential</c>).</param>
    /// <param name="clientOptions">Retries, transport and diagnostics of the client.</param>
    public static EmailClient CreateEmailClient(AcsOptions options, TokenCredential? credential = null, EmailClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        clientOptions ??= new EmailClientOptions();
        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new EmailClient(options.ConnectionString, clientOptions)
            : new EmailClient(Endpoint(options), credential ?? throw NoCredential(), clientOptions);
    }

    private static Uri Endpoint(AcsOptions options) =>
        Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException("Set Acs__ConnectionString, or Acs__Endpoint to an absolute URI.");

    private static InvalidOperationException NoCredential() =>
        new("Acs__Endpoint without a connection string needs a TokenCredential.");
}
