using Rebind.Core.Flows;
using Rebind.Core.Flows.PasswordReset;
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
            .Idempotent().Fails(ProblemResponses.SignInPageStart)
            .WithName("StartPasswordReset")
            .WithSummary("Starts a password reset: a code to the phone or email given, if an account has it. Same answer either way.");
        return app;
    }

    public static Task<Results<Created<FlowView>, ProblemHttpResult>> Start(
        SignInPageRequest? body, HttpContext context, SignInPageAccounts accounts, FlowEngine engine, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken) =>
        SignInPageStart.StartAsync(
            ResetPasswordFlow.KindName,
            body,
            (identifier, account, culture) => Task.FromResult<FlowStart>(
                new ResetPasswordStart(identifier, account is null ? null : AccountSnapshot.Of(account), culture)),
            context, accounts, engine, kinds, policy, cancellationToken);
}
