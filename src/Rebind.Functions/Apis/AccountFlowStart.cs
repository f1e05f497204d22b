using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

/// <summary>What every signed-in account-change start shares: the caller's account snapshot and the 201 answer.</summary>
public static class AccountFlowStart
{
    /// <summary>
    /// The caller's account (the endpoint requires authorization, so a caller exists): the one authentication read
    /// for this request, else read now; null if it is gone.
    /// </summary>
    public static async Task<Account?> CallerAccountAsync(HttpContext context, IAccountStore accounts, CancellationToken cancellationToken) =>
        context.CallerAccount()?.Value
        ?? (context.CallerAccountId() is { } id ? (await accounts.GetAsync(id, cancellationToken))?.Value : null);

    /// <summary>The caller's session id: kept alive when the change rotates the security stamp.</summary>
    public static string? CallerSessionId(HttpContext context) =>
        context.User.FindFirst(RebindClaims.SessionId)?.Value;

    /// <summary>Starts <paramref name="kind"/> and answers 201 with the flow's view, or the error.</summary>
    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> StartAsync(
        string kind, FlowStart start, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        var started = await inputs.StartAsync(kind, start, ClientAddress.For(context), cancellationToken);
        if (!started.IsSuccess)
        {
            return ErrorResults.Problem(started.Error, context);
        }

        var flow = started.Value;
        return TypedResults.Created($"/api/flows/{flow.Id}", FlowView.From(flow, kinds.For(flow.Kind), policy));
    }

    /// <summary>The caller's account vanished under a valid session (deleted meanwhile).</summary>
    public static ProblemHttpResult Gone(HttpContext context) => ErrorResults.Problem(FlowErrors.Forbidden(), context);
}
