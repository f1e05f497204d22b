using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Rebind.Core.Security;

namespace Rebind.Functions.Passwords;

/// <summary>
/// Runs the PBKDF2 work of requests (sign-in checks, new-password hashes) on one thread per core of its own, fed by one
/// first-come-first-served queue, so that:
/// <list type="bullet">
/// <item>hashing never takes more than the cores (a burst of sign-ins held every thread-pool thread in a hash for seconds,
/// and the storage calls of all other requests, and of the Durable runtime, waited for threads past their budget);</item>
/// <item>the requests that do not hash never queue behind it for a thread: they keep the thread pool. On Linux the hashing
/// threads can also run at a lower scheduling priority (<c>Passwords__HashingNice</c>), so that a cheap step gets a core
/// first; off by default: on a machine whose storage (Azurite) shares the cores, nice 10 starved the hashes and made every
/// step slower (<c>bench -- load</c> at 50 clients: 3.1 flows/s against 5.6 at 0, README "Load");</item>
/// <item>the waiting hashes are served in the order they came.</item>
/// </list>
/// </summary>
public sealed partial class PasswordWork : IDisposable
{
    /// <summary>The niceness of the hashing threads on Linux by default (0 is a normal thread's, 19 the lowest priority).</summary>
    public const int DefaultNice = 0;

    private readonly PasswordHasher hasher;
    private readonly int nice;
    private readonly BlockingCollection<Action> queue = new(new ConcurrentQueue<Action>());
    private readonly Thread[] threads;

    /// <param name="nice">Niceness of the hashing threads on Linux (0–19); elsewhere they keep a normal priority.</param>
    public PasswordWork(PasswordHasher hasher, int nice = DefaultNice)
    {
        this.hasher = hasher;
        this.nice = nice;
        threads = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(n => new Thread(Work) { IsBackground = true, Name = $"pbkdf2-{n}" })];
        foreach (var thread in threads)
        {
            thread.Start();
        }
    }

    /// <summary>Hashes waiting for a thread now (for tests and metrics).</summary>
    public int Waiting => queue.Count;

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.Hash(password), cancellationToken);

    public Task<PasswordCheck> CheckAsync(string password, string encodedHash, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.Check(password, encodedHash), cancellationToken);

    public Task<bool> VerifyAsync(string password, string encodedHash, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.Verify(password, encodedHash), cancellationToken);

    public void Dispose()
    {
        queue.CompleteAdding();
        queue.Dispose();
    }

    private Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        // Continuations run on the thread pool, never on a hashing thread (whose priority is low).
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add(() =>
        {
            // A request that gave up while waiting costs no hash.
            if (cancellationToken.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellationToken);
                return;
            }
            try
            {
                done.TrySetResult(work());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, cancellationToken);
        return done.Task;
    }

    private void Work()
    {
        LowerPriority(nice);
        try
        {
            foreach (var item in queue.GetConsumingEnumerable())
            {
                item();
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed with the app.
        }
    }

    private static void LowerPriority(int nice)
    {
        if (OperatingSystem.IsLinux() && nice > 0)
        {
            // PRIO_PROCESS with a thread id sets that thread's niceness; lowering a priority needs no privilege.
            _ = SetPriority(0, GetThreadId(), nice);
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
