namespace Rebind.Functions.Hosting;

/// <summary>
/// Settings under <c>Durable</c> for the local host's Durable Task runtime, which runs every flow's orchestration (in
/// Azure the Functions host's Durable extension reads host.json instead).
/// </summary>
public sealed class DurableOptions
{
    /// <summary>Task hub name (3-45 letters and digits, starting with a letter); default: the table prefix + "hub".</summary>
    public string? TaskHub { get; set; }

    /// <summary>
    /// Longest wait between polls of idle queues (as host.json's <c>maxQueuePollingInterval</c>). A message this
    /// instance sends wakes its own poller of that queue, so a flow's steps do not wait for it; what does is a durable
    /// timer (seen up to this late) and a message sent by another instance after a quiet spell. Every poll costs a
    /// storage request per queue: idle, 341 requests a minute at 1 s against 101 at 5 s (README, "Durable's settings").
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Control-queue partitions; fixed when the task hub is created (the Functions default, 4).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// Partition ownership through the backend's table partition manager (true, the default: as the Functions host's
    /// Durable extension runs it in Azure), or through blob leases with the backend's legacy lease manager (false).
    /// Measured on Azurite: an app's stop waits ~1.04 s for the table manager's loop, ~20–90 ms with blob leases, and a
    /// fresh app runs its first orchestration at once either way (the newer blob-lease manager took ~5 s); test apps
    /// that are stopped hundreds of times take blob leases.
    /// </summary>
    public bool TablePartitionManagement { get; set; } = true;

    /// <summary>Loopback port of the gRPC sidecar (HTTP/2 only); 0 takes a free port.</summary>
    public int SidecarPort { get; set; }

    /// <summary>The task hub name for these settings.</summary>
    public string TaskHubName(StorageOptions storage) =>
        string.IsNullOrWhiteSpace(TaskHub) ? storage.TablePrefix + "hub" : TaskHub;
}
