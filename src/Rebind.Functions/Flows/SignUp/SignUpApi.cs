using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Functions.Apis;
using Rebind.Functions.Attestation;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;
using Rebind.Functions.Passwords;

namespace Rebind.Functions.Flows.SignUp;

/// <summary>Sign-up by phone: start, then the generic code endpoint, then the password.</summary>
public static class SignUpApi
{
    public static IEndpointRouteBuilder MapSignUpApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/signup").WithTags("Sign-up")
            .MapPost("/", Start)
            .RequireAttestation()
            .Idempotent()
            .Fails(StatusCodes.Status400BadRequest, FlowErrorCodes.InvalidPhone, FlowErrorCodes.PhoneCannotReceiveSms).Fails(ProblemResponses.SendsSms)
            .WithName("StartSignUp")
            .WithSummary("Starts sign-up by phone: sends an SMS code. Accepts an Idempotency-Key header.");
        app.MapGroup("/api/flows").WithTags("Flows")
            .MapPost("/{id}/password", SetPassword)
            .Fails(ProblemResponses.FlowStep)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, FlowErrorCodes.WeakPassword, FlowErrorCodes.PasswordSameAsCurrent)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.PhoneAlreadyBound, FlowErrorCodes.AccountChanged)
            .WithName("SetPassword")
            .WithSummary("Sets the password of a sign-up whose code was confirmed; creates the account.");
        return app;
    }

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> Start(
        SignUpRequest? body, HttpContext context, SmsRegions regions, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        var deviceId = ClientInfo.DeviceId(context, body?.DeviceId);
        if (RequestFields.First(RequestFields.Required(body?.Phone, "phone"), RequestFields.Region(body?.Region), RequestFields.DeviceId(deviceId)) is { } malformed)
        {
            return ErrorResults.Problem(malformed, context);
        }
        if (!PhoneNumber.TryParse(body!.Phone, body.Region, out var phone, out var invalid))
        {
            return ErrorResults.Problem(invalid, context);
        }
        if (regions.CheckNewNumber(phone) is { } refused)
        {
            return ErrorResults.Problem(refused, context);
        }

        var started = await inputs.StartAsync(
            SignUpFlow.KindName,
            new SignUpStart(phone, ErrorResults.CultureOf(context))
            {
                DeviceHash = string.IsNullOrEmpty(deviceId) ? null : Rebind.Core.Accounts.KnownDevice.HashOf(deviceId),
                DeviceName = Rebind.Core.Sessions.SessionClient.Create(body.DeviceName, null, null).DeviceName,
            },
            ClientAddress.For(context), cancellationToken);
        if (!started.IsSuccess)
        {
            return ErrorResults.Problem(started.Error, context);
        }
        var flow = started.Value;
        return TypedResults.Created($"/api/flows/{flow.Id}", FlowView.From(flow, kinds.For(flow.Kind), policy));
    }

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> SetPassword(
        string id, PasswordRequest? body, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, PasswordWork passwords,
        IBreachedPasswords breached, BreachedPasswordOptions breachedOptions, PasswordStepMetrics metrics, CancellationToken cancellationToken)
    {
        if (body?.Password is null || body.Password.Length == 0)
        {
            // Not Required(): a password of spaces is a weak password (with its rule), not a missing one.
            return ErrorResults.Problem(RequestErrors.Missing("password"), context);
        }
        // The cheap check first: a weak password never costs a hash.
        if ((PasswordPolicy.Check(body.Password) ?? await breached.CheckBreachedAsync(breachedOptions, body.Password, cancellationToken)) is { } weak)
        {
            return ErrorResults.Problem(weak, context);
        }

        // The kind builds the input: sign-up only hashes; a password reset also compares with the current password.
        // Built (hashed) once per request: a lost race re-applies the same input instead of spending PBKDF2 again, and of
        // parallel requests only the one that claims the step hashes at all.
        FlowInput? built = null;
        var result = await inputs.ApplyAsync(id, context.CallerAccountId(), async (flow, ct) =>
        {
            if (built is null)
            {
                built = kinds.For(flow.Kind) is { } kind ? await kind.PasswordInputAsync(flow, body.Password, passwords, ct) : new SetPassword(body.Password, string.Empty);
                if (built is SetPassword { PasswordHash.Length: > 0 })
                {
                    metrics.Hashed();
                }
            }
            return Result<FlowInput>.Success(built);
        }, cancellationToken, exclusiveStep: FlowNextSteps.Password);
        return FlowsApi.Answer(result, context, kinds, policy);
    }
}

/// <param name="Phone">The phone number, E.164 (<c>+8613812345678</c>) or national with <paramref name="Region"/>.</param>
/// <param name="Region">ISO region (e.g. <c>CN</c>) for numbers given without the country code.</param>
/// <param name="DeviceId">The app's device id (as at sign-in, or the <c>X-Device-Id</c> header): the new account knows this
/// device, so its first sign-in needs no new-device code.</param>
/// <param name="DeviceName">The device's name, shown in the device list.</param>
public sealed record SignUpRequest(string? Phone, string? Region = null, string? DeviceId = null, string? DeviceName = null) : IIdempotentRequest;

public sealed record PasswordRequest(string? Password);
