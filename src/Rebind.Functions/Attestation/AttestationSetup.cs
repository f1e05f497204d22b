using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Rebind.Functions.Attestation;

public static class AttestationSetup
{
    /// <summary>
    /// The <see cref="IClientAttestation"/> registered by the integrator (a real one: Play Integrity, App Attest,
    /// reCAPTCHA), else the development one <c>Attestation__Mode</c> names. A development one outside Development stops
    /// the start-up unless <c>Attestation__AllowInsecure=true</c>, as missing ACS settings or a sample code key do: a
    /// deployed app must not silently let scripts start SMS flows.
    /// </summary>
    public static void AddRebindAttestation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AttestationFilter>();
        var options = builder.Configuration.GetSection(AttestationOptions.SectionName).Get<AttestationOptions>() ?? new AttestationOptions();
        var development = builder.Environment.IsDevelopment();
        var registered = builder.Services.Any(d => d.ServiceType == typeof(IClientAttestation));
        if (!registered)
        {
            builder.Services.TryAddSingleton(Development(options, development));
        }

        builder.Services.AddSingleton(new AttestationStartCheck(options.AllowInsecure, development));
    }

    /// <summary>After the build: refuses a development implementation outside Development (unless allowed), warns when allowed.</summary>
    public static void ValidateRebindAttestation(this IServiceProvider services)
    {
        var attestation = services.GetRequiredService<IClientAttestation>();
        var check = services.GetRequiredService<AttestationStartCheck>();
        if (attestation.ProvesClient || check.Development)
        {
            return;
        }
        if (!check.AllowInsecure)
        {
            throw new InvalidOperationException(
                $"Client attestation is {attestation.GetType().Name}, which proves nothing about the client, outside Development. " +
                "Register a real IClientAttestation (Play Integrity, App Attest, reCAPTCHA: see the README), or set " +
                "Attestation__AllowInsecure=true to run without one on purpose.");
        }
        services.GetRequiredService<ILoggerFactory>().CreateLogger(RebindApp.LogCategory).LogWarning("Client attestation is {Attestation} outside Development (Attestation__AllowInsecure=true): anonymous starts are not checked", attestation.GetType().Name);
    }

    private static IClientAttestation Development(AttestationOptions options, bool development) => options.Mode?.Trim().ToUpperInvariant() switch
    {
        "OFF" => new DisabledAttestation(),
        "DEVTOKEN" or "" or null => new DevelopmentAttestation(
            !string.IsNullOrWhiteSpace(options.DevToken) ? options.DevToken
            : development ? DevelopmentAttestation.DefaultToken
            : throw new InvalidOperationException("Attestation__Mode=DevToken outside Development needs Attestation__DevToken (and Attestation__AllowInsecure=true).")),
        _ => throw new InvalidOperationException($"Attestation__Mode must be DevToken or Off (got '{options.Mode}'); a real attestation is registered in code."),
    };
}

internal sealed record AttestationStartCheck(bool AllowInsecure, bool Development);
