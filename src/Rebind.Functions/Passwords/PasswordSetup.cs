using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Functions.Passwords;

/// <summary>Password hashing (work factor from <c>Passwords:Iterations</c>) and the optional breached-password check.</summary>
public static class PasswordSetup
{
    public static void AddRebindPasswords(this IHostApplicationBuilder builder)
    {
        var iterations = builder.Configuration.GetValue<int?>("Passwords:Iterations") ?? PasswordHasher.MinimumIterations;
        builder.Services.AddSingleton(new PasswordHasher(iterations));
        var nice = builder.Configuration.GetValue<int?>("Passwords:HashingNice") ?? PasswordWork.DefaultNice;
        if (nice is < 0 or > 19)
        {
            throw new InvalidOperationException("Passwords__HashingNice must be 0 (a normal thread's priority) to 19 (the lowest).");
        }
        builder.Services.AddSingleton(sp => new PasswordWork(sp.GetRequiredService<PasswordHasher>(), nice));

        var options = builder.Configuration.GetSection(BreachedPasswordOptions.SectionName).Get<BreachedPasswordOptions>() ?? new BreachedPasswordOptions();
        builder.Services.AddSingleton(options);
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            builder.Services.AddSingleton<IBreachedPasswords, NoBreachedPasswords>();
            return;
        }
        if (!Uri.TryCreate(options.Endpoint.TrimEnd('/') + "/", UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException("Passwords__BreachedCheck__Endpoint is not an absolute URL.");
        }
        builder.Services.AddSingleton<IBreachedPasswords>(sp => new RangeBreachedPasswords(
            new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) },
            sp.GetRequiredService<ILogger<RangeBreachedPasswords>>()));
    }

    /// <summary>
    /// The checks of a new password that need I/O, after <see cref="PasswordPolicy.Check"/>: refused when breached,
    /// or when the service cannot be asked and <see cref="BreachedPasswordOptions.FailClosed"/> is set.
    /// </summary>
    public static async Task<Error?> CheckBreachedAsync(this IBreachedPasswords breached, BreachedPasswordOptions options, string password, CancellationToken cancellationToken) =>
        await breached.IsBreachedAsync(password, cancellationToken) switch
        {
            true => FlowErrors.WeakPassword("breached"),
            null when options.FailClosed => FlowErrors.WeakPassword("breached_check_unavailable"),
            _ => null,
        };
}
