using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using C = Rebind.Core.Flows.FlowErrorCodes;

namespace Rebind.Functions.Http;

/// <summary>
/// Endpoint metadata: the endpoint can answer <paramref name="Status"/> as <c>application/problem+json</c> with one of
/// <paramref name="Codes"/>. The OpenAPI document lists each status with its codes as an enum
/// (<see cref="OpenApiSetup"/>); several declarations of one status add up.
/// </summary>
public sealed record ProblemResponse(int Status, params IReadOnlyList<string> Codes);

/// <summary>Marks an endpoint that takes an <c>Idempotency-Key</c> (<see cref="IdempotencyFilter"/>).</summary>
public sealed class IdempotentMetadata
{
    public static readonly IdempotentMetadata Instance = new();

    private IdempotentMetadata()
    {
    }
}

/// <summary>
/// Declares the problem answers of an endpoint next to its mapping. Answers every endpoint shares (500, 503; 400/413/415
/// on JSON bodies; 401 on signed-in endpoints; the Idempotency-Key answers) are added by <see cref="OpenApiSetup"/>
/// and by <see cref="RecentAuthentication.RequireRecentAuthentication{TBuilder}"/>, so an endpoint lists only its own.
/// </summary>
public static class ProblemResponses
{
    public const string ValidationFailed = "validation_failed";
    public const string FlowConflict = "flow_conflict";
    public const string IdempotencyInProgress = "idempotency_in_progress";

    /// <summary>The endpoint may answer <paramref name="status"/> with one of <paramref name="codes"/>.</summary>
    public static TBuilder Fails<TBuilder>(this TBuilder builder, int status, params string[] codes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemResponse(status, codes));

    /// <summary>The endpoint may answer each of <paramref name="responses"/> (a shared set such as <see cref="FlowStep"/>).</summary>
    public static TBuilder Fails<TBuilder>(this TBuilder builder, params ProblemResponse[] responses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var response in responses)
        {
            builder.WithMetadata(response);
        }
        return builder;
    }

    /// <summary>Runs <see cref="IdempotencyFilter"/> and declares the <c>Idempotency-Key</c> header and its answers.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter>()
            .WithMetadata(IdempotentMetadata.Instance)
            .Fails(StatusCodes.Status400BadRequest, ValidationFailed)
            .Fails(StatusCodes.Status409Conflict, IdempotencyInProgress)
            .Fails(StatusCodes.Status422UnprocessableEntity, RequestErrors.IdempotencyKeyReusedCode);

    /// <summary>Any input to a flow addressed by id: unknown (or another account's), finished, or raced.</summary>
    public static readonly ProblemResponse[] FlowStep =
    [
        new(StatusCodes.Status404NotFound, C.FlowNotFound),
        new(StatusCodes.Status409Conflict, C.FlowCompleted, C.InvalidState, FlowConflict),
        new(StatusCodes.Status410Gone, C.FlowExpired, C.FlowCancelled, C.FlowFailed),
    ];

    /// <summary>Sends a code: the per-destination caps (and, on a flow start, the per-client cap).</summary>
    public static readonly ProblemResponse[] SendsCode =
    [
        new(StatusCodes.Status429TooManyRequests, C.RateLimited),
    ];

    /// <summary>
    /// May send an SMS code: the caps, the number's region (outside <c>Sms__AllowedRegions</c>), and the hourly SMS
    /// budgets. Endpoints that take a new number add <c>phone_cannot_receive_sms</c>.
    /// </summary>
    public static readonly ProblemResponse[] SendsSms =
    [
        new(StatusCodes.Status400BadRequest, C.PhoneRegionNotSupported),
        new(StatusCodes.Status429TooManyRequests, C.RateLimited),
        new(StatusCodes.Status503ServiceUnavailable, C.SmsBudgetExhausted),
    ];

    /// <summary>Starts a flow from the sign-in page: the identifier, then the caps.</summary>
    public static readonly ProblemResponse[] SignInPageStart =
    [
        new(StatusCodes.Status400BadRequest, ValidationFailed, C.InvalidPhone, C.InvalidEmail),
        new(StatusCodes.Status429TooManyRequests, C.RateLimited),
    ];

    /// <summary>A password check: sign-in and re-authentication.</summary>
    public static readonly ProblemResponse[] PasswordCheck =
    [
        new(StatusCodes.Status401Unauthorized, AccountErrors.InvalidCredentialsCode),
        new(StatusCodes.Status403Forbidden, AccountErrors.PasswordResetRequiredCode),
        new(StatusCodes.Status429TooManyRequests, AccountErrors.SignInThrottledCode, C.RateLimited),
    ];
}
