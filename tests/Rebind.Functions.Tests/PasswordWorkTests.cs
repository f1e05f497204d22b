using Rebind.Core.Security;
using Rebind.Functions.Passwords;

namespace Rebind.Functions.Tests;

/// <summary>
/// The PBKDF2 threads (issue 17): one per core, at a lower priority on Linux, fed first come first served; a request that
/// gave up while waiting costs no hash.
/// </summary>
public sealed class PasswordWorkTests
{
    private static readonly PasswordHasher Hasher = new(PasswordHasher.MinimumIterations);

    [Fact]
    public async Task Hashes_OnOneThreadPerCore_AtTheConfiguredNiceness()
    {
        using var work = new PasswordWork(Hasher, nice: 19);

        var hash = await work.HashAsync("river7stone-Q", CancellationToken.None);

        Assert.True(await work.VerifyAsync("river7stone-Q", hash, CancellationToken.None));
        if (OperatingSystem.IsLinux())
        {
            // A thread of another test may end while they are listed (LinuxThreads leaves it out); this instance's
            // threads live until it is disposed.
            var threads = Rebind.Testing.LinuxThreads.Of(Environment.ProcessId)
                .Where(t => t.Name.StartsWith("pbkdf2-", StringComparison.Ordinal))
                .ToList();
            // Other PasswordWork instances of this test process have threads of the same name: count this one's by niceness.
            var mine = threads.Where(t => Nice(t.Stat) == 19).ToList();
            Assert.Equal(Environment.ProcessorCount, mine.Count);
        }
    }

    [Fact]
    public async Task ManyAtOnce_AllAnswered_NoneLeftWaiting()
    {
        using var work = new PasswordWork(Hasher);
        var finished = new List<int>();
        var count = Environment.ProcessorCount * 3;

        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await Task.Yield();
            var started = Task.Run(() => work.HashAsync("pw" + i + "-river7stone", CancellationToken.None));
            await started;
            lock (finished)
            {
                finished.Add(i);
            }
        }));

        Assert.Equal(count, finished.Count);
        Assert.Equal(0, work.Waiting);
    }

    [Fact]
    public async Task AlreadyCancelled_NotQueued()
    {
        using var work = new PasswordWork(Hasher);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => work.HashAsync("river7stone-Q", cancelled.Token));
    }

    // Field 19 of /proc/<pid>/task/<tid>/stat (after the parenthesised name) is the niceness.
    private static int Nice(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
}
