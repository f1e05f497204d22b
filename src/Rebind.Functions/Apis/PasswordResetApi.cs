using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Flows.PasswordReset;
using Rebind.Functions.Attestation;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;
using Rebind.Functions.Recovery;

namespace Rebind.Functions.Apis;

/// <summary>
/// Forgot password (issue 8): start with a phone or email; the code goes to that same address, or nowhere when
/// no account has it (the answer is the same). Then the generic <c>/code</c> and <c>/password</c> endpoints.
/// </summary>
public static class PasswordResetApi
{
    public static IEndpointRouteBuilder MapPasswordResetApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/password").WithTags("Password reset")
            .MapPost("/reset", Start)
            .RequireAttestation()
            .Idempotent().Fails(ProblemResponses.SignInPageStart).Fails(ProblemResponses.SendsSms)
            .WithName("StartPasswordReset")
            .WithSummary("Starts a password reset: a code to the phone or email given, if an account has it. Same answer either way.");
        return app;
    }

    public static Task<Results<Created<FlowView>, ProblemHttpResult>> Start(
        SignInPageRequest? body, HttpContext context, SmsRegions regions, SignInPageAccounts accounts, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken) =>
        SignInPageStart.StartAsync(
            ResetPasswordFlow.KindName,
            body,
            (identifier, account, culture) => Task.FromResult<FlowStart>(
                new ResetPasswordStart(identifier, account is null ? null : AccountSnapshot.Of(account), culture)),
            // The code goes to the number typed: a region SMS may not go to is refused, account or not.
            identifier => identifier.Channel == Channel.Sms ? regions.CheckE164(identifier.Value) : null,
            context, accounts, inputs, kinds, policy, cancellationToken);
}
