using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;

namespace Rebind.Functions.Recovery;

/// <summary>
/// Starts a flow from the sign-in page: parse the identifier, resolve it to an account with the same reads either
/// way (<see cref="SignInPageAccounts"/>) unless the identifier alone is refused (<c>precheck</c>), start the kind (which pretends for an unknown one), and answer
/// <c>201</c> with the flow. Known and unknown identifiers get the same status, headers and body shape.
/// </summary>
public static class SignInPageStart
{
    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> StartAsync(
        string kind,
        SignInPageRequest? body,
        Func<ContactIdentifier, Account?, string, Task<FlowStart>> build,
        Func<ContactIdentifier, Error?>? precheck,
        HttpContext context,
        SignInPageAccounts accounts,
        FlowInputs inputs,
        FlowKinds kinds,
        FlowPolicy policy,
        CancellationToken cancellationToken)
    {
        var parsed = SignInPageAccounts.Parse(body?.Identifier, body?.Region);
        if (!parsed.IsSuccess)
        {
            return ErrorResults.Problem(parsed.Error, context);
        }
        // Depends on what was typed only, so answering it before the lookup tells nothing about accounts.
        if (precheck?.Invoke(parsed.Value) is { } refused)
        {
            return ErrorResults.Problem(refused, context);
        }

        var account = await accounts.ResolveAsync(parsed.Value, cancellationToken);
        var start = await build(parsed.Value, account, ErrorResults.CultureOf(context));
        var started = await inputs.StartAsync(kind, start, ClientAddress.For(context), cancellationToken);
        if (!started.IsSuccess)
        {
            return ErrorResults.Problem(started.Error, context);
        }

        var flow = started.Value;
        return TypedResults.Created($"/api/flows/{flow.Id}", FlowView.From(flow, kinds.For(flow.Kind), policy));
    }
}

/// <param name="Identifier">A phone number (E.164, or national with <paramref name="Region"/>) or an email address.</param>
/// <param name="Region">ISO region (e.g. <c>CN</c>) for phone numbers given without the country code.</param>
public sealed record SignInPageRequest(string? Identifier, string? Region = null) : IIdempotentRequest;
