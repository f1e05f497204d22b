using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

/// <summary>
/// Endpoints every flow kind shares, addressed by flow id. Flows started signed in answer only their owner;
/// anyone else (and an unknown id) gets <c>404 flow_not_found</c>, so ids cannot be probed.
/// </summary>
public static class FlowsApi
{
    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/flows").WithTags("Flows");
        group.MapGet("/{id}", Get).Fails(StatusCodes.Status404NotFound, FlowErrorCodes.FlowNotFound).WithName("GetFlow").WithSummary("State, next step, deadlines and attempts left of a flow.");
        group.MapDelete("/{id}", Cancel).Fails(ProblemResponses.FlowStep).WithName("CancelFlow").WithSummary("Cancels a flow.");
        group.MapPost("/{id}/code", SubmitCode).WithName("SubmitCode").WithSummary("Submits the code sent for the current step.")
            .Fails(ProblemResponses.FlowStep)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, FlowErrorCodes.InvalidCode)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.CodeUsed, FlowErrorCodes.PhoneAlreadyBound, FlowErrorCodes.EmailAlreadyBound, FlowErrorCodes.AccountChanged)
            .Fails(StatusCodes.Status410Gone, FlowErrorCodes.CodeExpired)
            .Fails(StatusCodes.Status429TooManyRequests, FlowErrorCodes.TooManyAttempts);
        group.MapPost("/{id}/resend", Resend).WithName("ResendCode").WithSummary("Sends a new code for the current step (after the cooldown).")
            .Fails(ProblemResponses.FlowStep).Fails(ProblemResponses.SendsSms)
            .Fails(StatusCodes.Status429TooManyRequests, FlowErrorCodes.ResendCooldown, FlowErrorCodes.TooManySends);
        return app;
    }

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> Get(string id, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken) =>
        Answer(await inputs.ReadAsync(id, context.CallerAccountId(), cancellationToken), context, kinds, policy);

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> Cancel(string id, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken) =>
        Answer(await inputs.ApplyAsync(id, context.CallerAccountId(), Input(new Cancel()), cancellationToken), context, kinds, policy);

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> SubmitCode(
        string id, CodeRequest? body, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        // A value that cannot be a code is refused here, before the flow is read: it costs none of the attempts.
        if (RequestFields.Code(body?.Code, policy.CodeDigits) is { } malformed)
        {
            return ErrorResults.Problem(malformed, context);
        }

        var code = body!.Code!;
        var result = await inputs.ApplyAsync(id, context.CallerAccountId(), async (flow, ct) =>
            kinds.For(flow.Kind) is not { } kind ? Result<FlowInput>.Success(new SubmitCode(code))
            : kind.IssuesSession ? FlowErrors.InvalidState(flow.State, "code")
            : Result<FlowInput>.Success(await kind.CodeInputAsync(flow, code, ct)), cancellationToken);
        return Answer(result, context, kinds, policy);
    }

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> Resend(string id, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken) =>
        Answer(await inputs.ApplyAsync(id, context.CallerAccountId(), Input(new Resend()), cancellationToken), context, kinds, policy);

    /// <summary>A fixed input, whatever the flow.</summary>
    public static Func<Flow, CancellationToken, Task<Result<FlowInput>>> Input(FlowInput input) =>
        (_, _) => Task.FromResult(Result<FlowInput>.Success(input));

    /// <summary>
    /// 200 with the flow's view; to a step that left the server finishing it (the flow's orchestration is still creating
    /// the account or applying the change: read the flow at <c>Location</c> later), 202 with the view; or the error
    /// through the one mapper. A read is always 200: its view says <c>wait</c>.
    /// </summary>
    public static Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult> Answer(Result<Flow> result, HttpContext context, FlowKinds kinds, FlowPolicy policy)
    {
        if (!result.IsSuccess)
        {
            return ErrorResults.Problem(result.Error, context);
        }
        var flow = result.Value;
        var kind = kinds.For(flow.Kind);
        var view = FlowView.From(flow, kind, policy);
        return !HttpMethods.IsGet(context.Request.Method) && context.RequestServices.GetRequiredService<FlowRegistry>().AwaitsEffect(flow)
            ? TypedResults.Accepted($"/api/flows/{flow.Id}", view)
            : TypedResults.Ok(view);
    }
}

public sealed record CodeRequest(string? Code);
