using Rebind.Azure.Messaging;
using Rebind.Core.Identity;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

/// <summary>
/// The development inbox: messages the local sender stored instead of sending. Mapped only when the app runs in
/// Development; anywhere else the path does not exist (404).
/// </summary>
public static class DevInboxApi
{
    public static IEndpointRouteBuilder MapDevInboxApi(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
        {
            return app;
        }
        app.MapGroup("/api/dev").WithTags("Development")
            .MapGet("/inbox", Read)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, Core.Flows.FlowErrorCodes.InvalidPhone, Core.Flows.FlowErrorCodes.InvalidEmail)
            .WithName("DevInbox")
            .WithSummary("Messages sent to a phone or email, newest first (Development only).");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<DevInboxMessage>>, ProblemHttpResult>> Read(
        string? to, HttpContext context, DevInboxSender inbox, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(to))
        {
            return ErrorResults.Problem(RequestErrors.Missing("to"), context);
        }
        var raw = to.Trim();
        // An unescaped '+' in a query string arrives as a space.
        if (to.StartsWith(' ') && raw.Length > 0 && char.IsAsciiDigit(raw[0]))
        {
            raw = "+" + raw;
        }

        string normalized;
        if (raw.Contains('@'))
        {
            if (!EmailAddress.TryParse(raw, out var email, out var error))
            {
                return ErrorResults.Problem(error, context);
            }
            normalized = email.Value;
        }
        else
        {
            if (!PhoneNumber.TryParse(raw, null, out var phone, out var error))
            {
                return ErrorResults.Problem(error, context);
            }
            normalized = phone.E164;
        }
        return TypedResults.Ok(await inbox.ReadAsync(normalized, cancellationToken: cancellationToken));
    }
}
