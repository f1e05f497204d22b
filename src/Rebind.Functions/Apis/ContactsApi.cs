using Rebind.Core.Flows;
using Rebind.Functions.Http;
using Rebind.Functions.Recovery;

namespace Rebind.Functions.Apis;

/// <summary>
/// The "this wasn't me" link of a newly bound contact (issue 18): like the cool-off cancel link
/// (<see cref="RecoveryApi.CancelWithCode"/>), anonymous, the code from the notice being the only credential.
/// </summary>
public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contacts").WithTags("Contacts");
        group.MapPost("/not-me", NotMe)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, FlowErrorCodes.InvalidReportCode)
            .Fails(StatusCodes.Status429TooManyRequests, FlowErrorCodes.RateLimited)
            .WithName("ReportContactNotMe")
            .WithSummary("With the code from a contact-added notice, within the holding period: removes that contact and signs out every session; no sign-in needed.");
        return app;
    }

    public static async Task<Results<Ok<ContactReportView>, ProblemHttpResult>> NotMe(
        ContactReportRequest? body, HttpContext context, ContactReports reports, CancellationToken cancellationToken)
    {
        var code = body?.Code;
        if (string.IsNullOrWhiteSpace(code))
        {
            return ErrorResults.Problem(RequestErrors.Missing("code"), context);
        }

        var result = await reports.ReportAsync(code, ClientInfo.From(context), ErrorResults.CultureOf(context), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ErrorResults.Problem(result.Error, context);
    }
}

/// <param name="Code">The report code from the contact-added notice's link.</param>
public sealed record ContactReportRequest(string? Code = null);
