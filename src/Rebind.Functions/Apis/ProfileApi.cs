using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

/// <summary>
/// The profile fields support compares a case with: the nickname and the company or team name. Editing them needs a
/// recent sign-in (they are evidence in a recovery case) and is recorded in the account's history.
/// </summary>
public static class ProfileApi
{
    public const string ProfileChanged = "profile_changed";

    public static IEndpointRouteBuilder MapProfileApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me").WithTags("Me").RequireAuthorization();
        group.MapGet("/profile", GetProfile).Fails(StatusCodes.Status403Forbidden, Core.Flows.FlowErrorCodes.Forbidden)
            .WithName("GetProfile").WithSummary("The nickname and team name (null when not set).");
        group.MapPut("/profile", PutProfile).RequireRecentAuthentication()
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed)
            .Fails(StatusCodes.Status403Forbidden, Core.Flows.FlowErrorCodes.Forbidden)
            .WithName("PutProfile").WithSummary("Sets the nickname and team name (null or empty clears one); needs a sign-in within 15 minutes.");
        return app;
    }

    public static async Task<Results<Ok<ProfileView>, ProblemHttpResult>> GetProfile(HttpContext context, IAccountStore accounts, CancellationToken cancellationToken)
    {
        var account = await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken);
        return account is null ? ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden()) : TypedResults.Ok(ProfileView.Of(account));
    }

    public static async Task<Results<Ok<ProfileView>, ProblemHttpResult>> PutProfile(
        ProfileRequest? body, HttpContext context, IAccountStore accounts, IActivityLog activity, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResults.Problem(RequestErrors.Missing("nickname"), context);
        }
        foreach (var (value, field) in new[] { (body.Nickname, "nickname"), (body.Team, "team") })
        {
            if (value is not null && value.Trim().Length > ProfileKeys.MaxLength)
            {
                return ErrorResults.Problem(RequestErrors.Malformed(field, $"'{field}' is at most {ProfileKeys.MaxLength} characters."), context);
            }
        }

        var accountId = context.CallerAccountId()!;
        var updated = await accounts.UpdateAsync(accountId, account =>
        {
            var profile = new Dictionary<string, string>(account.Profile);
            Set(profile, ProfileKeys.Nickname, body.Nickname);
            Set(profile, ProfileKeys.Team, body.Team);
            return account with { Profile = profile };
        }, cancellationToken);
        if (updated is null)
        {
            return ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden(), context);
        }
        var client = ClientInfo.From(context);
        await activity.RecordAsync(accountId, new ActivityEvent(ProfileChanged, ActivityOutcomes.Success, time.GetUtcNow(), client.IpAddress, client.DeviceName, client.UserAgent,
            context.User.FindFirst(RebindClaims.SessionId)?.Value), cancellationToken);
        return TypedResults.Ok(ProfileView.Of(updated.Value));
    }

    private static void Set(Dictionary<string, string> profile, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            profile.Remove(key);
        }
        else
        {
            profile[key] = value.Trim();
        }
    }
}

/// <param name="Nickname">The nickname; null or empty clears it.</param>
/// <param name="Team">The company or team name; null or empty clears it.</param>
public sealed record ProfileRequest(string? Nickname = null, string? Team = null);

public sealed record ProfileView(string? Nickname, string? Team)
{
    public static ProfileView Of(Account account) =>
        new(account.Profile.GetValueOrDefault(ProfileKeys.Nickname), account.Profile.GetValueOrDefault(ProfileKeys.Team));
}
