using C = Rebind.Core.Flows.FlowErrorCodes;

namespace Rebind.Core.Flows;

/// <summary>
/// The one catalogue of flow errors. Messages are English and safe to show; localized text comes from
/// <see cref="ErrorText"/>. Details keys are camelCase (<c>attemptsLeft</c>, <c>retryAfterSeconds</c>, <c>state</c>).
/// </summary>
public static class FlowErrors
{
    public static Error InvalidCode(int attemptsLeft) =>
        new Error(C.InvalidCode, "The code is not correct.", ErrorKind.Validation).With("attemptsLeft", attemptsLeft);

    public static Error CodeExpired() =>
        new(C.CodeExpired, "The code has expired. Ask for a new one.", ErrorKind.Gone);

    public static Error CodeUsed() =>
        new(C.CodeUsed, "The code has already been used.", ErrorKind.Conflict);

    public static Error TooManyAttempts() =>
        new Error(C.TooManyAttempts, "Too many wrong codes. Ask for a new one.", ErrorKind.TooManyRequests).With("attemptsLeft", 0);

    public static Error TooManySends() =>
        new(C.TooManySends, "Too many codes were sent for this request. Start again later.", ErrorKind.TooManyRequests);

    public static Error ResendCooldown(int retryAfterSeconds) =>
        new Error(C.ResendCooldown, $"Wait {retryAfterSeconds} seconds before asking for a new code.", ErrorKind.TooManyRequests)
            .With("retryAfterSeconds", retryAfterSeconds);

    public static Error FlowExpired() =>
        new(C.FlowExpired, "This request has expired. Start again.", ErrorKind.Gone);

    public static Error FlowCancelled() =>
        new(C.FlowCancelled, "This request was cancelled.", ErrorKind.Gone);

    public static Error FlowCompleted() =>
        new(C.FlowCompleted, "This request is already complete.", ErrorKind.Conflict);

    /// <param name="reason">The code that ended the flow (<see cref="Flow.Outcome"/>), when known.</param>
    public static Error FlowFailed(string? reason = null)
    {
        var error = new Error(C.FlowFailed, "This request has failed. Start again.", ErrorKind.Gone);
        return reason is null ? error : error.With("reason", reason);
    }

    public static Error FlowNotFound() =>
        new(C.FlowNotFound, "No such request.", ErrorKind.NotFound);

    public static Error InvalidState(string state, string? input = null)
    {
        var error = new Error(C.InvalidState, "This action is not possible at this step.", ErrorKind.Conflict).With("state", state);
        return input is null ? error : error.With("input", input);
    }

    /// <summary>A valid number that cannot take an SMS code (a landline, VoIP, premium rate, …): give a mobile number.</summary>
    public static Error PhoneCannotReceiveSms() =>
        new(C.PhoneCannotReceiveSms, "This number cannot receive text messages (e.g. a landline). Use a mobile number.", ErrorKind.Validation);

    /// <summary>A number of a country (or a non-geographic code) this deployment sends no SMS to (<c>Sms__AllowedRegions</c>).</summary>
    /// <param name="region">The number's ISO region, or null for a non-geographic number.</param>
    public static Error PhoneRegionNotSupported(string? region) =>
        new Error(C.PhoneRegionNotSupported, "Text messages cannot be sent to numbers of this country or region. Use another number.", ErrorKind.Validation)
            .With("region", region);

    /// <summary>
    /// The hourly SMS budget (all countries, or the destination's) is spent: no SMS code goes out until the window
    /// ends. A property of the service, never of the account or number asked about.
    /// </summary>
    public static Error SmsBudgetExhausted(int retryAfterSeconds) =>
        new Error(C.SmsBudgetExhausted, $"Text messages cannot be sent right now. Try again in {retryAfterSeconds} seconds.", ErrorKind.Unavailable)
            .With("retryAfterSeconds", retryAfterSeconds);

    public static Error InvalidPhone() =>
        new(C.InvalidPhone, "This is not a valid phone number. Include the country code, e.g. +86.", ErrorKind.Validation);

    public static Error InvalidEmail() =>
        new(C.InvalidEmail, "This is not a valid email address.", ErrorKind.Validation);

    /// <param name="rule">Which rule failed: <c>length</c>, <c>letter_and_digit</c> or <c>common</c>.</param>
    public static Error WeakPassword(string rule) =>
        new Error(C.WeakPassword, rule switch
        {
            "length" => "The password must be 8 to 128 characters long.",
            "letter_and_digit" => "The password must contain at least one letter and one digit.",
            "common" => "This password is too common. Choose another one.",
            "breached" => "This password has appeared in a data breach. Choose another one.",
            _ => "The password must be 8 to 128 characters with at least one letter and one digit, and not a common password.",
        }, ErrorKind.Validation).With("rule", rule);

    public static Error PhoneAlreadyBound() =>
        new(C.PhoneAlreadyBound, "This phone number is already bound to another account. Unbind it there first.", ErrorKind.Conflict);

    public static Error EmailAlreadyBound() =>
        new(C.EmailAlreadyBound, "This email address is already bound to another account. Unbind it there first.", ErrorKind.Conflict);

    public static Error RateLimited(int retryAfterSeconds, string? rule = null)
    {
        var error = new Error(C.RateLimited, $"Too many requests. Try again in {retryAfterSeconds} seconds.", ErrorKind.TooManyRequests)
            .With("retryAfterSeconds", retryAfterSeconds);
        return rule is null ? error : error.With("rule", rule);
    }

    public static Error Forbidden() =>
        new(C.Forbidden, "You may not act on this request.", ErrorKind.Forbidden);

    public static Error ReauthenticationRequired() =>
        new(C.ReauthenticationRequired, "Sign in again to make this change.", ErrorKind.Unauthorized);

    /// <summary>The account no longer matches what the flow started from (e.g. its phone changed meanwhile); nothing was applied.</summary>
    public static Error AccountChanged() =>
        new(C.AccountChanged, "Your account changed while this request was open. Start again.", ErrorKind.Conflict);

    public static Error AccountHasPhone() =>
        new(C.AccountHasPhone, "A phone number is already bound to your account. Change it instead.", ErrorKind.Conflict);

    public static Error AccountHasNoPhone() =>
        new(C.AccountHasNoPhone, "No phone number is bound to your account.", ErrorKind.Conflict);

    public static Error AccountHasEmail() =>
        new(C.AccountHasEmail, "An email address is already bound to your account. Change it instead.", ErrorKind.Conflict);

    public static Error AccountHasNoEmail() =>
        new(C.AccountHasNoEmail, "No email address is bound to your account.", ErrorKind.Conflict);

    public static Error PhoneUnchanged() =>
        new(C.PhoneUnchanged, "This is already the phone number of your account. Enter a new one.", ErrorKind.Validation);

    public static Error EmailUnchanged() =>
        new(C.EmailUnchanged, "This is already the email address of your account. Enter a new one.", ErrorKind.Validation);

    /// <summary>Refused: the account would be left without a phone or email to recover it with.</summary>
    public static Error LastRecoveryChannel() =>
        new(C.LastRecoveryChannel, "This is the last way to recover your account. Bind an email address before removing it.", ErrorKind.Conflict);

    public static Error SecurityAnswersIncorrect(int attemptsLeft) =>
        new Error(C.SecurityAnswersIncorrect, "The answers are not correct.", ErrorKind.Validation).With("attemptsLeft", attemptsLeft);

    public static Error InvalidCancelCode() =>
        new(C.InvalidCancelCode, "This cancel code is not valid.", ErrorKind.Validation);

    /// <summary>A "this wasn't me" code that is unknown, used, or past the contact's holding period: one answer for all.</summary>
    public static Error InvalidReportCode() =>
        new(C.InvalidReportCode, "This link is not valid any more.", ErrorKind.Validation);

    public static Error PasswordSameAsCurrent() =>
        new(C.PasswordSameAsCurrent, "The new password must differ from the current one.", ErrorKind.Validation);

    /// <summary>Neither the phone nor the email works for the user: only support-assisted recovery is left.</summary>
    public static Error RecoveryRequiresSupport() =>
        new(C.RecoveryRequiresSupport, "Without access to your phone or email, recover your account with the help of support.", ErrorKind.Conflict);

    /// <summary>The error for an input on a finished flow.</summary>
    /// <summary>
    /// The error a failed effect ended <paramref name="flow"/> with (the identifier went to another account, the account
    /// changed underneath), as the step that applied it answered; <c>flow_failed</c> for any other outcome.
    /// </summary>
    public static Error ForFailedEffect(Flow flow) => flow.Outcome switch
    {
        C.PhoneAlreadyBound => PhoneAlreadyBound(),
        C.EmailAlreadyBound => EmailAlreadyBound(),
        C.AccountChanged => AccountChanged(),
        _ => FlowFailed(flow.Outcome),
    };

    public static Error ForTerminal(Flow flow) => flow.State switch
    {
        FlowStates.Completed => FlowCompleted(),
        FlowStates.Expired => FlowExpired(),
        FlowStates.Cancelled => FlowCancelled(),
        FlowStates.Failed => FlowFailed(flow.Outcome),
        _ => throw new ArgumentException($"Flow state '{flow.State}' is not terminal.", nameof(flow)),
    };

    /// <summary>Whole seconds to wait, rounded up, never below 1.</summary>
    internal static int CeilSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
