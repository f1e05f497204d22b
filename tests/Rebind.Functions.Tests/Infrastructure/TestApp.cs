using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Rebind.Testing;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>
/// The real app on a loopback port against real Azurite, with its own table prefix and task hub, a manual clock and
/// the in-process cleanup schedule off (tests run the cleanup themselves). Every answer is recorded
/// (<see cref="ObservedResponses"/>).
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string contentRoot;

    private TestApp(WebApplication app, string contentRoot, ManualTimeProvider time, string tablePrefix)
    {
        this.app = app;
        this.contentRoot = contentRoot;
        Time = time;
        TablePrefix = tablePrefix;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
        // The app's client attests every request, as the mobile app would; tests of the attestation itself take it off.
        Client.DefaultRequestHeaders.Add(AttestationHeader, AttestationToken);
    }

    /// <summary>The development attestation token the test app accepts (<c>Attestation:DevToken</c>); not a secret.</summary>
    public const string AttestationToken = "test-attestation-token";

    public const string AttestationHeader = "X-Attestation-Token";

    /// <summary>Not a secret: a fixed test value (32 bytes, base64).</summary>
    public const string TestCodeKey = "dGVzdC1vbmx5LWNvZGUta2V5LW5vdC1hLXNlY3JldC0wMQ==";

    /// <summary>ACS settings that satisfy start-up outside Development; port 9 on loopback (discard) is never listening.</summary>
    public static readonly string UnusedAcsConnectionString =
        "endpoint=http://127.0.0.1:9/;accesskey=" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("unused-acs-key-for-tests-only-00000000"));

    /// <summary>
    /// For tests that build the app themselves (<c>RebindApp.Create</c>): the settings any environment needs to start
    /// (storage, the test code key, ACS settings that reach nothing), then <paramref name="overrides"/> (a null value
    /// takes a setting away).
    /// </summary>
    /// <summary>The "this wasn't me" link of apps started outside Development (the placeholder is refused there).</summary>
    public const string ReportUrlFormat = "https://rebind.test/not-me?code={code}";

    public static Action<WebApplicationBuilder> Startable(params (string Key, string? Value)[] overrides) => b =>
    {
        b.Configuration["Storage:ConnectionString"] = Azurite.ConnectionString;
        b.Configuration["Codes:CurrentKeyId"] = "test";
        b.Configuration["Codes:Keys:test"] = TestCodeKey;
        b.Configuration["Acs:ConnectionString"] = UnusedAcsConnectionString;
        b.Configuration["Attestation:DevToken"] = AttestationToken;
        b.Configuration["Attestation:AllowInsecure"] = "true";
        b.Configuration["Recovery:ReportUrlFormat"] = ReportUrlFormat;
        foreach (var (key, value) in overrides)
        {
            b.Configuration[key] = value;
        }
    };

    /// <summary>
    /// Settings under which the test plays a trusted front end on loopback: its <c>X-Forwarded-For</c> names the
    /// client (without them, as standalone, the header is ignored and the client is 127.0.0.1).
    /// </summary>
    public static Dictionary<string, string?> BehindFrontEnd(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["ForwardedHeaders:KnownProxies:1"] = "::1",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public HttpClient Client { get; }

    /// <summary>What any host of the app needs in Development against the test Azurite: storage under
    /// <paramref name="tablePrefix"/>, the fixed code key (a restarted app must verify codes the first one sent) and the
    /// development attestation token.</summary>
    public static Dictionary<string, string?> DevelopmentSettings(string tablePrefix) => new()
    {
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:TablePrefix"] = tablePrefix,
        ["Codes:CurrentKeyId"] = "test",
        ["Codes:Keys:test"] = TestCodeKey,
        ["Attestation:DevToken"] = AttestationToken,
        // On in production (the default): a right password from a device the account does not know needs a code first.
        // Test apps sign in without it unless the test is about new devices (DeviceSignInTests and the others that set
        // it back to true); seeded accounts know Accounts.TestDeviceId either way.
        ["SignIn:VerifyNewDevices"] = "false",
    };

    /// <summary>Runs the scheduled cleanup once, as the timer would.</summary>
    public Task<Hosting.CleanupReport> RunCleanupAsync() => Services.GetRequiredService<Hosting.CleanupRunner>().RunAsync();

    /// <summary>Storage requests made by the app so far.</summary>
    public global::Rebind.Azure.Stores.RequestCounterPolicy StorageRequests => Services.GetRequiredService<global::Rebind.Azure.Stores.RequestCounterPolicy>();

    public ManualTimeProvider Time { get; }

    public string TablePrefix { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="settings">Overrides, e.g. <c>Storage:ConnectionString</c>; they win over everything.</param>
    /// <param name="environment">The host environment, given as <c>--environment</c>.</param>
    /// <param name="clockStart">Where the app's manual clock starts (default: now).</param>
    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? settings = null,
        string environment = "Development",
        string? tablePrefix = null,
        Action<WebApplication>? configureApp = null,
        Action<IServiceCollection>? services = null,
        DateTimeOffset? clockStart = null,
        bool waitForDurable = true)
    {
        var contentRoot = Directory.CreateTempSubdirectory("rebind-app-").FullName;

        var prefix = tablePrefix ?? "t" + Guid.NewGuid().ToString("N")[..10];
        // A clock started in the past puts a flow's deadline (on the app's clock) close ahead in real time, where the
        // flow's orchestration sets its durable timer.
        var time = new ManualTimeProvider(clockStart ?? DateTimeOffset.UtcNow);
        var all = DevelopmentSettings(prefix);
        all["Urls"] = "http://127.0.0.1:0";
        all["Cleanup:IntervalSeconds"] = "0";
        // The flows' orchestrations run on the app's own task hub. Blob leases: an app stops in tens of milliseconds
        // instead of the table partition manager's second (the restart tests choose the manager themselves).
        all["Durable:TablePartitionManagement"] = "false";
        // One control queue instead of four: a test app's flows do not need the fan-out, and every queue is polled.
        all["Durable:PartitionCount"] = "1";
        // Timers are seen at the next poll: the tests whose flows run to their deadline would each wait up to the
        // production 5 s for it. A flow's own steps do not depend on it (a message this app sends wakes its poller).
        all["Durable:MaxQueuePollingInterval"] = "00:00:01";
        // A request waits this long for its flow's orchestration to move (2 s in production): a loaded two-core test
        // machine must not turn a slow orchestration into a 202 a test did not ask for (FlowAnswerWaitTests does).
        all["Flows:AnswerWaitMilliseconds"] = "10000";
        if (environment != "Development")
        {
            // Outside Development the app refuses to start without ACS (it would otherwise fall back to the
            // plain-text development inbox); nothing is sent unless a test points this at the ACS stand-in.
            all["Acs:ConnectionString"] = UnusedAcsConnectionString;
            all["Acs:SmsFrom"] = "+18005550100";
            all["Acs:EmailFrom"] = "DoNotReply@rebind.test";
            // Likewise without a real client attestation; the development token stays checked.
            all["Attestation:AllowInsecure"] = "true";
            // ... and with the placeholder "this wasn't me" link.
            all["Recovery:ReportUrlFormat"] = ReportUrlFormat;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = RebindApp.Create(
            ["--environment", environment],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(all);
                builder.Services.AddSingleton<TimeProvider>(time);
                // Every answer is kept for OpenApiConformanceTests, which checks them against the document.
                ObservedResponses.Record(builder.Services);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                services?.Invoke(builder.Services);
            },
            contentRoot,
            configureApp);
        await app.StartAsync();
        if (waitForDurable)
        {
            // The Durable sidecar and the task hub start in the background (DurableSidecar): the app answers
            // /api/health at once and is ready once they have, which is what a deployment's readiness check waits for.
            // Tests start from a ready app; on a loaded machine the hub's creation alone took over 2 s, the readiness
            // probe's budget. (With storage away the start gives up on the hub after its own timeout, and goes on.)
            await app.Services.GetRequiredService<Hosting.DurableSidecar>().Started
                .WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return new TestApp(app, contentRoot, time, prefix);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(contentRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
