using Rebind.Functions.SignIn;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.EmailBinding;
using Rebind.Core.Flows.EmailChange;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

/// <summary>
/// The signed-in caller's email: bind, change (recent sign-in, checked at start as for the phone), and the
/// new-email input of any flow that asks for one.
/// </summary>
public static class EmailApi
{
    public const string VerifyByEmail = "email";
    public const string VerifyByPhone = "phone";

    public static IEndpointRouteBuilder MapEmailApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/email").WithTags("Email").RequireAuthorization();
        group.MapPost("/bind", Bind).RequireRecentAuthentication().HeldOnAnomalies().Idempotent().WithName("StartBindEmail")
            .Fails(StatusCodes.Status400BadRequest, FlowErrorCodes.InvalidEmail).Fails(StatusCodes.Status403Forbidden, FlowErrorCodes.Forbidden)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.AccountHasEmail).Fails(ProblemResponses.SendsCode)
            .WithSummary("Starts binding an email to an account without one: sends a code to it. Needs a sign-in within 15 minutes; accepts an Idempotency-Key header.");
        group.MapPost("/change", Change).RequireRecentAuthentication().HeldOnAnomalies().Idempotent().WithName("StartChangeEmail")
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed).Fails(StatusCodes.Status403Forbidden, FlowErrorCodes.Forbidden)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.AccountHasNoEmail, FlowErrorCodes.AccountHasNoPhone).Fails(ProblemResponses.SendsSms)
            .WithSummary("Starts changing the email: a code to the old address (verifyBy=email) or to the bound phone (verifyBy=phone). Needs a sign-in within 15 minutes; accepts an Idempotency-Key header.");
        app.MapGroup("/api/flows").WithTags("Flows")
            .MapPost("/{id}/email", SubmitEmail).WithName("SubmitEmail")
            .Fails(ProblemResponses.FlowStep).Fails(ProblemResponses.SendsCode)
            .Fails(StatusCodes.Status400BadRequest, FlowErrorCodes.InvalidEmail, FlowErrorCodes.EmailUnchanged)
            .WithSummary("Submits the new email of a flow that asks for one (next = email); sends it a code.");
        return app;
    }

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> Bind(
        BindEmailRequest? body, HttpContext context, IAccountStore accounts, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (RequestFields.Required(body?.Email, "email") is { } missing)
        {
            return ErrorResults.Problem(missing, context);
        }
        if (!EmailAddress.TryParse(body!.Email, out var email, out var invalid))
        {
            return ErrorResults.Problem(invalid, context);
        }
        if (await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken) is not { } account)
        {
            return AccountFlowStart.Gone(context);
        }

        var start = new BindEmailStart(AccountSnapshot.Of(account), email, ErrorResults.CultureOf(context));
        return await AccountFlowStart.StartAsync(BindEmailFlow.KindName, start, context, inputs, kinds, policy, cancellationToken);
    }

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> Change(
        ChangeEmailRequest? body, HttpContext context, IAccountStore accounts, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        Channel verifyBy;
        switch (body?.VerifyBy)
        {
            case null or "":
                return ErrorResults.Problem(RequestErrors.Missing("verifyBy"), context);
            case VerifyByEmail:
                verifyBy = Channel.Email;
                break;
            case VerifyByPhone:
                verifyBy = Channel.Sms;
                break;
            default:
                return ErrorResults.Problem(RequestErrors.Invalid("verifyBy", VerifyByEmail, VerifyByPhone), context);
        }
        if (await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken) is not { } account)
        {
            return AccountFlowStart.Gone(context);
        }

        var start = new ChangeEmailStart(AccountSnapshot.Of(account), verifyBy, AccountFlowStart.CallerSessionId(context), ErrorResults.CultureOf(context));
        return await AccountFlowStart.StartAsync(ChangeEmailFlow.KindName, start, context, inputs, kinds, policy, cancellationToken);
    }

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> SubmitEmail(
        string id, EmailRequest? body, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (RequestFields.Required(body?.Email, "email") is { } missing)
        {
            return ErrorResults.Problem(missing, context);
        }
        if (!EmailAddress.TryParse(body!.Email, out var email, out var invalid))
        {
            return ErrorResults.Problem(invalid, context);
        }

        var result = await inputs.ApplyAsync(id, context.CallerAccountId(), FlowsApi.Input(new SubmitEmail(email)), cancellationToken);
        return FlowsApi.Answer(result, context, kinds, policy);
    }
}

public sealed record BindEmailRequest(string? Email) : IIdempotentRequest;

/// <param name="VerifyBy"><c>email</c> (code to the old address) or <c>phone</c> (code to the bound phone).</param>
public sealed record ChangeEmailRequest(string? VerifyBy) : IIdempotentRequest;

public sealed record EmailRequest(string? Email);
