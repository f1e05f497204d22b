using Rebind.Functions.SignIn;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneBinding;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Flows.PhoneUnbinding;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

/// <summary>
/// The signed-in caller's phone: bind, change (recent sign-in), unbind (recent sign-in), and the new-phone input
/// of any flow that asks for one. Codes then go through <c>POST /api/flows/{id}/code</c> and <c>/resend</c>.
/// The recent sign-in is checked when the flow starts; every later input needs the same signed-in account (the
/// flow answers only its owner) and the codes, and a flow lives at most 30 minutes.
/// </summary>
public static class PhoneApi
{
    public static IEndpointRouteBuilder MapPhoneApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/phone").WithTags("Phone").RequireAuthorization();
        group.MapPost("/bind", Bind).RequireRecentAuthentication().HeldOnAnomalies().Idempotent().WithName("StartBindPhone")
            .Fails(StatusCodes.Status400BadRequest, FlowErrorCodes.InvalidPhone, FlowErrorCodes.PhoneCannotReceiveSms).Fails(StatusCodes.Status403Forbidden, FlowErrorCodes.Forbidden)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.AccountHasPhone).Fails(ProblemResponses.SendsSms)
            .WithSummary("Starts binding a phone to an account without one: sends an SMS code to it. Needs a sign-in within 15 minutes; accepts an Idempotency-Key header.");
        group.MapPost("/change", Change).RequireRecentAuthentication().HeldOnAnomalies().Idempotent().WithName("StartChangePhone")
            .Fails(StatusCodes.Status403Forbidden, FlowErrorCodes.Forbidden).Fails(StatusCodes.Status409Conflict, FlowErrorCodes.AccountHasNoPhone).Fails(ProblemResponses.SendsSms)
            .WithSummary("Starts changing the phone: sends an SMS code to the current phone. Needs a sign-in within 15 minutes; accepts an Idempotency-Key header.");
        group.MapDelete("/", Unbind).RequireRecentAuthentication().HeldOnAnomalies().Idempotent().WithName("StartUnbindPhone")
            .Fails(StatusCodes.Status403Forbidden, FlowErrorCodes.Forbidden)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.AccountHasNoPhone, FlowErrorCodes.LastRecoveryChannel).Fails(ProblemResponses.SendsSms)
            .WithSummary("Starts removing the phone (an email must be bound): sends an SMS code to it. Needs a sign-in within 15 minutes; accepts an Idempotency-Key header.");
        app.MapGroup("/api/flows").WithTags("Flows")
            .MapPost("/{id}/phone", SubmitPhone).WithName("SubmitPhone")
            .Fails(ProblemResponses.FlowStep).Fails(ProblemResponses.SendsSms)
            .Fails(StatusCodes.Status400BadRequest, FlowErrorCodes.InvalidPhone, FlowErrorCodes.PhoneCannotReceiveSms, FlowErrorCodes.PhoneUnchanged)
            .WithSummary("Submits the new phone number of a flow that asks for one (next = phone); sends it a code.");
        return app;
    }

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> Bind(
        BindPhoneRequest? body, HttpContext context, SmsRegions regions, IAccountStore accounts, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (RequestFields.First(RequestFields.Required(body?.Phone, "phone"), RequestFields.Region(body?.Region)) is { } malformed)
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
        if (await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken) is not { } account)
        {
            return AccountFlowStart.Gone(context);
        }

        var start = new BindPhoneStart(AccountSnapshot.Of(account), phone, ErrorResults.CultureOf(context));
        return await AccountFlowStart.StartAsync(BindPhoneFlow.KindName, start, context, inputs, kinds, policy, cancellationToken);
    }

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> Change(
        HttpContext context, IAccountStore accounts, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken) is not { } account)
        {
            return AccountFlowStart.Gone(context);
        }

        var start = new ChangePhoneStart(AccountSnapshot.Of(account), AccountFlowStart.CallerSessionId(context), ErrorResults.CultureOf(context));
        return await AccountFlowStart.StartAsync(ChangePhoneFlow.KindName, start, context, inputs, kinds, policy, cancellationToken);
    }

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> Unbind(
        HttpContext context, IAccountStore accounts, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken) is not { } account)
        {
            return AccountFlowStart.Gone(context);
        }

        var start = new UnbindPhoneStart(AccountSnapshot.Of(account), AccountFlowStart.CallerSessionId(context), ErrorResults.CultureOf(context));
        return await AccountFlowStart.StartAsync(UnbindPhoneFlow.KindName, start, context, inputs, kinds, policy, cancellationToken);
    }

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> SubmitPhone(
        string id, PhoneRequest? body, HttpContext context, SmsRegions regions, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (RequestFields.First(RequestFields.Required(body?.Phone, "phone"), RequestFields.Region(body?.Region)) is { } malformed)
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

        var result = await inputs.ApplyAsync(id, context.CallerAccountId(), FlowsApi.Input(new SubmitPhone(phone)), cancellationToken);
        return FlowsApi.Answer(result, context, kinds, policy);
    }
}

/// <param name="Phone">The phone number to bind, E.164 (<c>+8613812345678</c>) or national with <paramref name="Region"/>.</param>
/// <param name="Region">ISO region (e.g. <c>CN</c>) for numbers given without the country code.</param>
public sealed record BindPhoneRequest(string? Phone, string? Region = null) : IIdempotentRequest;

/// <param name="Phone">The new phone number, E.164 or national with <paramref name="Region"/>.</param>
/// <param name="Region">ISO region for numbers given without the country code.</param>
public sealed record PhoneRequest(string? Phone, string? Region = null);
