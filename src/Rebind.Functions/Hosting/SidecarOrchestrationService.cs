using DurableTask.Core;

namespace Rebind.Functions.Hosting;

/// <summary>
/// The backend as the sidecar's dispatchers see it: every call goes to the Azure Storage service, but start and stop
/// never throw, a stop without a start does nothing, and a backend that cannot start yet (storage down) is started
/// again in the background until it does. The sidecar starts and stops the backend from <c>async void</c> lifetime
/// callbacks, where an exception ends the process: stopping an app before its worker connected (the backend never
/// started) threw a NullReferenceException there and took the test host down. Until the backend runs, the dispatchers
/// are handed no work (the backend must not be polled before its start), so the app serves its API and answers
/// <c>/api/health/ready</c> with 503 while storage is away, and the flows resume once it is back, without a restart.
/// <see cref="Stopped"/> lets the app's shutdown wait for the backend to release its partition leases.
/// </summary>
internal sealed class SidecarOrchestrationService(IOrchestrationService inner, ILogger<SidecarOrchestrationService> logger)
    : IOrchestrationService
{
    /// <summary>Longest pause between two attempts to start the backend.</summary>
    public static readonly TimeSpan MaxStartRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long a dispatcher asking for work waits before it is told there is none, while the backend is down.</summary>
    private static readonly TimeSpan IdleWhileDown = TimeSpan.FromSeconds(1);

    private readonly object gate = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? starting;
    private Task? startLoop;
    private Task? retryLoop;
    private volatile bool running;

    /// <summary>Completes once the sidecar has stopped the backend (or asked to stop one that never started).</summary>
    public Task Stopped => stopped.Task;

    /// <summary>Whether the backend has started and hands out work.</summary>
    public bool IsRunning => running;

    public Task StartAsync()
    {
        lock (gate)
        {
            if (starting is not null)
            {
                return Task.CompletedTask;
            }
            starting = new CancellationTokenSource();
            startLoop = StartLoopAsync(starting.Token);
            return startLoop;
        }
    }

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops the backend without waiting for the sidecar's dispatchers: they wait for every work item handed to the
    /// worker, and one handed out as the worker disconnected never comes back. Left running, the backend of a stopped
    /// app would go on polling its queues and renewing its leases for the life of the process.
    /// </summary>
    public async Task ForceStopAsync()
    {
        // Also when a graceful stop is under way: it is the one waiting for the lost work item; a forced stop aborts the
        // backend's sessions, which lets it finish, and releases the partitions.
        if (Interlocked.Exchange(ref forced, 1) == 0 && (running || Volatile.Read(ref everStarted) == 1))
        {
            running = false;
            await inner.StopAsync(isForced: true);
        }
        stopped.TrySetResult();
    }

    private int forced;
    private int everStarted;

    public async Task StopAsync(bool isForced)
    {
        Task? first;
        lock (gate)
        {
            starting?.Cancel();
            first = startLoop;
        }
        try
        {
            // The first attempt decides whether a retry loop exists: wait for it before looking.
            if (first is not null)
            {
                await first;
            }
            Task? retries;
            lock (gate)
            {
                retries = retryLoop;
            }
            if (retries is not null)
            {
                await retries;
            }
            if (running)
            {
                running = false;
                await inner.StopAsync(isForced);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "The Durable Task backend did not stop cleanly");
        }
        finally
        {
            stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Starts the backend; when it cannot (storage refused, hanging, failing), tries again in the background after 1, 2,
    /// 4 ... up to <see cref="MaxStartRetryDelay"/> seconds until it does or the sidecar stops. Only the first attempt
    /// is awaited: the sidecar's dispatchers start after it and must not wait out an outage.
    /// </summary>
    private async Task StartLoopAsync(CancellationToken cancellationToken)
    {
        if (!await TryStartAsync(cancellationToken))
        {
            lock (gate)
            {
                retryLoop = Task.Run(() => RetryAsync(cancellationToken), CancellationToken.None);
            }
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TryStartAsync(cancellationToken))
            {
                logger.LogWarning("The Durable Task backend started once storage was back");
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxStartRetryDelay.Ticks));
        }
    }

    private async Task<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.StartAsync().WaitAsync(cancellationToken);
            running = true;
            Volatile.Write(ref everStarted, 1);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            logger.LogWarning("The Durable Task backend did not start ({Reason}); it is tried again in the background", e.GetType().Name);
            await QuietlyStopPartialStartAsync();
            return false;
        }
    }

    /// <summary>A start that failed half way may have started the backend's loops: stop them before the next attempt.</summary>
    private async Task QuietlyStopPartialStartAsync()
    {
        try
        {
            await inner.StopAsync(isForced: true);
        }
        catch (Exception)
        {
            // Nothing was running, or storage is still away: the next start begins afresh either way.
        }
    }

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        running
            ? await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken)
            : await NoWorkWhileDownAsync<TaskOrchestrationWorkItem>(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        running
            ? await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken)
            : await NoWorkWhileDownAsync<TaskActivityWorkItem>(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);

    /// <summary>The dispatchers' answer while the backend is down: no work, after a pause so they do not spin.</summary>
    private static async Task<T> NoWorkWhileDownAsync<T>(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        where T : class
    {
        var pause = receiveTimeout > TimeSpan.Zero && receiveTimeout < IdleWhileDown ? receiveTimeout : IdleWhileDown;
        try
        {
            await Task.Delay(pause, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        return null!;
    }
}
