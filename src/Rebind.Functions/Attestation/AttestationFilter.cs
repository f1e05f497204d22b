using Rebind.Functions.Http;

namespace Rebind.Functions.Attestation;

/// <summary>
/// Runs <see cref="IClientAttestation"/> on an anonymous start before anything else (the Idempotency-Key lookup, the
/// identifier, the rate limits): no token is <c>400 attestation_required</c>, a bad one <c>403 attestation_failed</c>,
/// the same for every identifier since nothing has been looked up yet.
/// </summary>
public sealed partial class AttestationFilter(IClientAttestation attestation, ILogger<AttestationFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Attestation-Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers[HeaderName].ToString();
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? http.Request.Path.ToString();
        var key = http.Request.Headers[IdempotencyFilter.HeaderName].ToString();
        var request = new AttestationContext(operation, ClientAddress.For(http), string.IsNullOrEmpty(key) ? null : key);

        var result = await attestation.VerifyAsync(string.IsNullOrEmpty(header) ? null : header, request, http.RequestAborted);
        switch (result.Outcome)
        {
            case AttestationOutcome.Valid:
                return await next(context);
            case AttestationOutcome.Missing:
                LogRefused(logger, operation, result.Outcome, result.Reason);
                return ErrorResults.Problem(RequestErrors.AttestationRequired(), http);
            default:
                LogRefused(logger, operation, result.Outcome, result.Reason);
                return ErrorResults.Problem(RequestErrors.AttestationFailed(), http);
        }
    }

    [LoggerMessage(EventId = 7002, EventName = "AttestationRefused", Level = LogLevel.Information,
        Message = "{Operation}: client attestation {Outcome} ({Reason})")]
    private static partial void LogRefused(ILogger logger, string operation, AttestationOutcome outcome, string? reason);
}

/// <summary>Marks an endpoint guarded by <see cref="AttestationFilter"/> (the OpenAPI document declares the header).</summary>
public sealed class AttestationMetadata
{
    public static readonly AttestationMetadata Instance = new();

    private AttestationMetadata()
    {
    }
}

public static class AttestationEndpoints
{
    /// <summary>
    /// Guards an anonymous start with the client attestation. Call it before <c>Idempotent()</c>: filters run in the
    /// order they are added, and an unattested request must not reach the idempotency store either.
    /// </summary>
    public static RouteHandlerBuilder RequireAttestation(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<AttestationFilter>()
            .WithMetadata(AttestationMetadata.Instance)
            .Fails(StatusCodes.Status400BadRequest, RequestErrors.AttestationRequiredCode)
            .Fails(StatusCodes.Status403Forbidden, RequestErrors.AttestationFailedCode);
}
