using Rebind.Core.Security;

namespace Rebind.Functions.Passwords;

/// <summary>
/// Runs the PBKDF2 work of requests (sign-in checks, new-password hashes) at most one per core at a time, each on a
/// thread of its own. A burst of sign-ins would otherwise hold every thread-pool thread in a hash for seconds, and the
/// storage calls of all other requests (and of the Durable runtime) would wait for threads past their time budget.
/// </summary>
public sealed class PasswordWork(PasswordHasher hasher)
{
    private readonly SemaphoreSlim gate = new(Environment.ProcessorCount);

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.Hash(password), cancellationToken);

    public Task<PasswordCheck> CheckAsync(string password, string encodedHash, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.Check(password, encodedHash), cancellationToken);

    public Task<bool> VerifyAsync(string password, string encodedHash, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.Verify(password, encodedHash), cancellationToken);

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            gate.Release();
        }
    }
}
