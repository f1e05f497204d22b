using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace Rebind.Functions.Hosting;

/// <summary>
/// The task hub sidecar of the local host: <see cref="TaskHubGrpcServer"/> over the Azure Storage backend, served by
/// its own Kestrel on a loopback HTTP/2-only (h2c) listener. Its own server rather than a second listener on the
/// API's: the API keeps its HTTP/1.1 listener, its URLs settings and its middleware (problem mapping, body limits,
/// timing), none of which belongs on the gRPC stream. The worker and client reach it through <see cref="Channel"/>.
/// </summary>
/// <remarks>
/// A lifecycle service: its start begins before any hosted service starts and runs in the background (the worker's
/// connection waits for it), and the sidecar stops after every hosted service has stopped (the worker's
/// open work-item stream would otherwise hold the sidecar's Kestrel for its whole shutdown timeout).
/// </remarks>
internal sealed class DurableSidecar : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>Longest wait for open gRPC calls when the sidecar stops (the worker has left by then).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait at start for the task hub's creation (tables, queues, containers; ~0.1–2 s on Azurite).</summary>
    public static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(10);

    private readonly IServiceProvider services;
    private readonly DurableOptions options;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger<DurableSidecar> logger;
    private readonly IHostApplicationLifetime lifetime;
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private Task? starting;
    private WebApplication? server;
    private volatile int port;

    /// <summary>Set by the background start, before <see cref="server"/>: the dispatchers' view of the backend.</summary>
    private SidecarOrchestrationService? dispatched;

    /// <remarks>
    /// The backend (<see cref="AzureStorageOrchestrationService"/>) is resolved by the background start, not here: its
    /// construction (storage clients, queues, the partition manager) took ~60 ms of the host's start on its main path.
    /// </remarks>
    public DurableSidecar(IServiceProvider services, DurableOptions options, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    {
        this.lifetime = lifetime;
        this.services = services;
        this.options = options;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<DurableSidecar>();
        // The worker's and client's options take the channel before the sidecar has a port (with SidecarPort 0 the
        // system picks it at start): connections look the port up when they are made.
        Channel = GrpcChannel.ForAddress("http://127.0.0.1", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectCallback = ConnectAsync, EnableMultipleHttp2Connections = true },
        });
    }

    public GrpcChannel Channel { get; }

    /// <summary>The port the sidecar listens on; 0 until it has started.</summary>
    public int Port => port;

    /// <summary>Completes once the sidecar listens and the task hub's creation ended (or gave up, storage away).</summary>
    public Task Started => started.Task;

    /// <summary>
    /// Starts the sidecar and creates the task hub in the background, so that the app's own server (and its liveness
    /// answer) does not wait for them: they took ~250 ms of the ~1.1 s from process start to the first 200 on
    /// <c>/api/health</c>. Every connection to the sidecar (the worker's, the client's, the readiness probe's) waits
    /// for this start instead (<see cref="ConnectAsync"/>), so a flow started at once still finds the hub created.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        starting = Task.Run(StartInBackgroundAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StartInBackgroundAsync()
    {
        try
        {
            await StartSidecarAsync(stopping.Token);
            started.TrySetResult();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            started.TrySetCanceled();
        }
        catch (Exception e)
        {
            // Without its sidecar the app can run no flow: stop it, as a failed start did when this ran in line.
            logger.LogCritical(e, "The Durable Task sidecar could not start; stopping the app");
            started.TrySetException(e);
            lifetime.StopApplication();
        }
    }

    private async Task StartSidecarAsync(CancellationToken cancellationToken)
    {
        var service = services.GetRequiredService<AzureStorageOrchestrationService>();
        var dispatched = this.dispatched = new SidecarOrchestrationService(service, loggerFactory.CreateLogger<SidecarOrchestrationService>());
        // The hub's storage round trips overlap the sidecar's own start; both are done before the worker connects.
        var creating = CreateTaskHubAsync(service, cancellationToken);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, options.SidecarPort, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton<IOrchestrationService>(dispatched);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        // Created now so that it hooks the sidecar's start: it starts dispatching once the worker connects.
        app.Services.GetRequiredService<TaskHubGrpcServer>();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        server = app;
        await creating;

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        port = new Uri(address).Port;
        logger.LogInformation("Durable Task sidecar listening on loopback port {Port}", port);
    }

    /// <summary>
    /// Creates the task hub at start, so that the first flow does not pay for it. Storage that is down does not stop the
    /// app (its API answers 503 meanwhile, as for the tables): after <see cref="CreateTimeout"/> or a failure the start
    /// goes on, and the backend creates the hub when its start, retried until storage is back, succeeds.
    /// </summary>
    private async Task CreateTaskHubAsync(AzureStorageOrchestrationService service, CancellationToken cancellationToken)
    {
        var creating = service.CreateIfNotExistsAsync();
        try
        {
            await creating.WaitAsync(CreateTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A creation still running keeps going: observe its end so it is not an unobserved exception.
            _ = creating.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            logger.LogWarning("The Durable task hub could not be created at start ({Reason}); the app starts without it and the backend keeps trying", e.GetType().Name);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (starting is not null)
        {
            // A start still under way (an app stopped at once) ends first, or is cancelled, so that its server is stopped.
            await stopping.CancelAsync();
            await starting.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (server is not null && dispatched is not null)
        {
            // Stopping the sidecar stops its dispatchers, then the backend, which releases its partition leases for
            // the next instance on this task hub: wait for that too, within bounds.
            await server.StopAsync(cancellationToken);
            try
            {
                await dispatched.Stopped.WaitAsync(ShutdownTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("The Durable Task backend did not stop within {Timeout}: a work item is still out; stopping it by force", ShutdownTimeout);
                try
                {
                    await dispatched.ForceStopAsync().WaitAsync(ShutdownTimeout, cancellationToken);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException)
                {
                    logger.LogWarning("The Durable Task backend did not stop by force within {Timeout} either", ShutdownTimeout);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        stopping.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var current = port;
        if (current == 0)
        {
            // Still starting (in the background, see StartingAsync): wait for it; a start that failed fails the call.
            try
            {
                await started.Task.WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new HttpRequestException("The Durable Task sidecar has not started.", e);
            }
            current = port;
        }
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, current), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
