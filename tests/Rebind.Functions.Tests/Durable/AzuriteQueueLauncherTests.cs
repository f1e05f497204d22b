using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Rebind.Testing;

namespace Rebind.Functions.Tests.Durable;

/// <summary>
/// <c>scripts/azurite-queue.js</c>, which every script and test run starts Azurite's queue service through: the
/// service sweeps the bodies of deleted messages every second instead of every minute (a minute's worth held the
/// service for 3-10 s under the load bench; README, "Load").
/// </summary>
public sealed partial class AzuriteQueueLauncherTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("rebind-azq-").FullName;

    [Fact]
    public async Task QueueService_DeletedMessages_SweptWithinSeconds()
    {
        var port = Azurite.FreePort();
        var debugLog = Path.Combine(folder, "debug.log");
        using var service = Start(port, debugLog);
        var queue = new QueueClient(
            Azurite.For(Azurite.FreePort(), port, Azurite.FreePort()), "sweep" + Guid.NewGuid().ToString("N")[..8]);
        await WaitForAsync(async () => { await queue.CreateIfNotExistsAsync(); return true; }, TimeSpan.FromSeconds(30));

        for (var i = 0; i < 5; i++)
        {
            await queue.SendMessageAsync($"message {i}");
        }
        var received = (await queue.ReceiveMessagesAsync(maxMessages: 5)).Value;
        Assert.Equal(5, received.Length);
        foreach (var message in received)
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        // The sweep after the deletes removes their five bodies; with Azurite's own interval that would take a minute.
        var swept = await WaitForAsync(() => Task.FromResult(SweptExtents(debugLog).Sum() >= 5), TimeSpan.FromSeconds(10));
        Assert.True(swept, $"the deleted messages' extents were not swept within 10 s: {string.Join(", ", SweptExtents(debugLog))}");
        Assert.Contains("Sleep for 1000", Read(debugLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueService_IntervalNotANumber_RefusesToStart()
    {
        var info = Info(Azurite.FreePort(), debugLog: null);
        info.Environment["AZURITE_QUEUE_GC_INTERVAL_MS"] = "every minute";
        using var service = Process.Start(info)!;
        var error = await service.StandardError.ReadToEndAsync();
        await service.WaitForExitAsync();

        Assert.Equal(1, service.ExitCode);
        Assert.Contains("AZURITE_QUEUE_GC_INTERVAL_MS must be a positive number", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Service Start(int port, string debugLog) => new(Process.Start(Info(port, debugLog))!);

    private static ProcessStartInfo Info(int port, string? debugLog)
    {
        var info = Azurite.ServiceStartInfo(Azurite.RepositoryRoot(), "queue", port);
        // The script's own default, whatever the machine running the tests sets.
        info.Environment.Remove("AZURITE_QUEUE_GC_INTERVAL_MS");
        if (debugLog is not null)
        {
            info.ArgumentList.Add("--debug");
            info.ArgumentList.Add(debugLog);
        }
        return info;
    }

    /// <summary>How many extents each sweep so far removed, from the queue service's own debug log.</summary>
    private static List<int> SweptExtents(string debugLog) =>
        [.. DeletedExtents().Matches(Read(debugLog)).Select(m => int.Parse(m.Groups[1].Value))];

    private static string Read(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception e) when (e is global::Azure.RequestFailedException or HttpRequestException && clock.Elapsed < within)
            {
            }
            if (clock.Elapsed >= within)
            {
                return false;
            }
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"Deleted (\d+) unreferenced extents")]
    private static partial Regex DeletedExtents();

    private sealed class Service(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            process.Dispose();
        }
    }
}
