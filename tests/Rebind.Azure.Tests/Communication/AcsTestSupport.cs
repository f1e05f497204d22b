using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Rebind.Azure.Communication.Email;
using Rebind.Azure.Communication.Sms;
using Rebind.Core.Messaging;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Communication;

internal static class AcsTestSupport
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Short back-off so retry tests take milliseconds (Retry-After still wins when the service sends one).</summary>
    public static T Fast<T>(T options) where T : ClientOptions
    {
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    public static SmsClient Sms(AcsStandIn standIn, SmsClientOptions? options = null) =>
        new(standIn.ConnectionString, Fast(options ?? new SmsClientOptions()));

    public static EmailClient Email(AcsStandIn standIn, EmailClientOptions? options = null) =>
        new(standIn.ConnectionString, Fast(options ?? new EmailClientOptions()));

    public static HttpPipelineTransport TrustingTransport(AcsStandIn standIn) =>
        new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == standIn.Certificate!.Thumbprint,
        });

    public static OutboundMessage SmsMessage(string kind = MessageKinds.SignupCode, string to = "+8613812345678") =>
        new(Guid.NewGuid(), Channel.Sms, to, kind, "zh-CN", new Dictionary<string, string> { ["code"] = "482913", ["minutes"] = "10" }, CreatedAt);

    public static OutboundMessage EmailMessage(string kind = MessageKinds.EmailCode, string to = "alice@example.com") =>
        new(Guid.NewGuid(), Channel.Email, to, kind, "en", new Dictionary<string, string> { ["code"] = "482913", ["minutes"] = "10" }, CreatedAt);
}

/// <summary>A token credential that records the scopes asked for.</summary>
internal sealed class RecordingCredential : TokenCredential
{
    public const string Token = "test-token";

    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.AddRange(requestContext.Scopes);
        }
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>A clock that moves one second each time it is read: every signature gets its own date.</summary>
internal sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref ticks, TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

/// <summary>Collects formatted log lines.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines { get { lock (lines) { return [.. lines]; } } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines)
        {
            lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
