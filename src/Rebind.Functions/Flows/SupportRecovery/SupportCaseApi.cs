using System.Globalization;
using Rebind.Azure.Stores;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SupportRecovery;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Core.Support;
using Rebind.Functions.Attestation;
using Rebind.Functions.Http;
using Rebind.Functions.Passwords;
using Rebind.Functions.Recovery;
using Rebind.Functions.Support;
using S = Rebind.Core.Flows.SupportRecovery.SupportRecoveryStates;

namespace Rebind.Functions.Flows.SupportRecovery;

/// <summary>
/// Support-assisted recovery, the user's side (sign-in page, no session): file a case, read its status, add
/// information when asked. The case id (the flow id) is the filer's capability. Unknown accounts get the same answers:
/// the case exists either way and scores 0.
/// </summary>
public static class SupportCaseApi
{
    /// <summary>Earlier passwords a case may carry (each costs one PBKDF2 per remembered password, account or not).</summary>
    public const int MaxEarlierPasswords = 2;

    public static IEndpointRouteBuilder MapSupportCaseApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/recovery/support").WithTags("Recovery");
        group.MapPost("/", FileCase)
            .RequireAttestation()
            .Fails(ProblemResponses.SignInPageStart).Fails(ProblemResponses.SendsSms)
            .Fails(StatusCodes.Status400BadRequest, FlowErrorCodes.PhoneCannotReceiveSms)
            .Fails(StatusCodes.Status409Conflict, SupportErrors.CaseOpenCode)
            .WithName("FileSupportCase")
            .WithSummary("Files a support case with evidence; an SMS code goes to the new phone. Same answer for unknown accounts.");
        group.MapGet("/{id}", GetCase)
            .Fails(StatusCodes.Status404NotFound, FlowErrorCodes.FlowNotFound)
            .WithName("GetSupportCase")
            .WithSummary("The case's status: verifying, submitted, in_review, more_information_requested, approved (until), completed, rejected (reason), cancelled, expired.");
        group.MapPost("/{id}/info", AddInfo)
            .Fails(ProblemResponses.FlowStep)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed)
            .WithName("AddSupportCaseInfo")
            .WithSummary("Adds the information an agent asked for (more evidence, earlier passwords, a note); the case is scored again.");
        return app;
    }

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> FileCase(
        SupportCaseRequest? body, HttpContext context, SmsRegions regions, SignInPageAccounts accounts, IAccountStore store, IRateLimiter limiter,
        SupportOptions options, TableSupportCases cases, EarlierPasswords earlier, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResults.Problem(RequestErrors.Missing("newPhone"), context);
        }
        var parsed = Parse(body, regions);
        if (!parsed.IsSuccess)
        {
            return ErrorResults.Problem(parsed.Error, context);
        }
        var filing = parsed.Value;

        // Limits that depend only on what was typed and who asks, before any lookup: they reveal nothing.
        var now = time.GetUtcNow();
        var ip = ClientAddress.For(context);
        if (await limiter.TryAcquireAsync(options.PerIpRule, ip, now, cancellationToken) is { } perIp)
        {
            return ErrorResults.Problem(perIp, context);
        }
        foreach (var destination in new[] { filing.NewPhone.E164, filing.ContactEmail }.OfType<string>())
        {
            if (await limiter.TryAcquireAsync(options.PerDestinationRule, destination, now, cancellationToken) is { } perDestination)
            {
                return ErrorResults.Problem(perDestination, context);
            }
        }

        // The account: by the old phone, else by the email (the same reads whether or not either has one).
        Account? account = null;
        foreach (var identifier in filing.Identifiers)
        {
            account ??= await accounts.ResolveAsync(identifier, cancellationToken);
        }
        var key = OpenKey(account?.Id, filing.Identifiers[0].Value);

        // One open case per account (or identifier typed, when no account has it), then at most N a day.
        if (!await cases.TryClaimOpenAsync(key, now + policy.FlowLifetime + TimeSpan.FromMinutes(5), now, cancellationToken))
        {
            return ErrorResults.Problem(SupportErrors.CaseOpen(), context);
        }
        if (await limiter.TryAcquireAsync(options.PerAccountRule, key, now, cancellationToken) is { } perAccount)
        {
            await cases.ReleaseOpenAsync(key, cancellationToken);
            return ErrorResults.Problem(perAccount, context);
        }

        try
        {
            // The account row is read either way (an id no account has when none was found): the same reads, the same time.
            var read = await store.GetAsync(account?.Id ?? Guid.NewGuid().ToString("N"), cancellationToken);
            var current = account is null ? null : read?.Value;
            var verdicts = await earlier.CheckAsync(filing.EarlierPasswords, current, cancellationToken);
            var start = new SupportRecoveryStart(filing.Evidence, verdicts, account is null ? null : AccountSnapshot.Of(account), filing.NewPhone,
                filing.ContactEmail, ErrorResults.CultureOf(context), key);
            var started = await inputs.StartAsync(SupportRecoveryFlow.KindName, start, ip, cancellationToken);
            if (!started.IsSuccess)
            {
                await cases.ReleaseOpenAsync(key, cancellationToken);
                return ErrorResults.Problem(started.Error, context);
            }
            var flow = started.Value;
            return TypedResults.Created($"/api/recovery/support/{flow.Id}", FlowView.From(flow, kinds.For(flow.Kind), policy));
        }
        catch
        {
            await cases.ReleaseOpenAsync(key, CancellationToken.None);
            throw;
        }
    }

    public static async Task<Results<Ok<SupportCaseView>, ProblemHttpResult>> GetCase(
        string id, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        var read = await inputs.ReadAsync(id, callerAccountId: null, cancellationToken);
        if (!read.IsSuccess || read.Value.Kind != SupportRecoveryFlow.KindName)
        {
            return ErrorResults.Problem(FlowErrors.FlowNotFound(), context);
        }
        return TypedResults.Ok(SupportCaseView.From(read.Value, kinds, policy));
    }

    public static async Task<Results<Ok<SupportCaseView>, ProblemHttpResult>> AddInfo(
        string id, SupportCaseInfoRequest? body, HttpContext context, IAccountStore store, EarlierPasswords earlier, FlowInputs inputs, FlowKinds kinds,
        FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResults.Problem(RequestErrors.Missing("note"), context);
        }
        var more = ParseEvidence(body.SignUpDate, body.Places, body.Devices, body.Contacts, body.Nickname, body.Team);
        if (!more.IsSuccess)
        {
            return ErrorResults.Problem(more.Error, context);
        }
        if (RequestFields.First(Bounded(body.Note, "note", 1000), Passwords(body.EarlierPasswords)) is { } malformed)
        {
            return ErrorResults.Problem(malformed, context);
        }

        var read = await inputs.ReadAsync(id, callerAccountId: null, cancellationToken);
        if (!read.IsSuccess || read.Value.Kind != SupportRecoveryFlow.KindName)
        {
            return ErrorResults.Problem(read.IsSuccess ? FlowErrors.FlowNotFound() : read.Error, context);
        }
        if (read.Value.IsTerminal)
        {
            return ErrorResults.Problem(FlowErrors.ForTerminal(read.Value), context);
        }
        if (read.Value.State != S.AwaitingMoreInfo)
        {
            return ErrorResults.Problem(FlowErrors.InvalidState(read.Value.State, "add_case_info"), context);
        }
        var accountId = read.Value.Data.GetValueOrDefault(FlowDataKeys.AccountId);
        var account = accountId is null ? null : (await store.GetAsync(accountId, cancellationToken))?.Value;
        var verdicts = await earlier.CheckAsync(Typed(body.EarlierPasswords), account, cancellationToken);
        var result = await inputs.ApplyAsync(id, callerAccountId: null, Apis.FlowsApi.Input(new AddCaseInfo(more.Value, verdicts, body.Note?.Trim())), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(SupportCaseView.From(result.Value, kinds, policy))
            : ErrorResults.Problem(result.Error, context);
    }

    /// <summary>The key of the account's one open case: the account, or the identifier typed when none has it (hashed).</summary>
    public static string OpenKey(string? accountId, string typed) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(accountId is null ? "typed|" + typed : "account|" + accountId)))[..32];

    private sealed record Filing(IReadOnlyList<ContactIdentifier> Identifiers, SupportEvidence Evidence, PhoneNumber NewPhone, string? ContactEmail, IReadOnlyList<string> EarlierPasswords);

    private static Result<Filing> Parse(SupportCaseRequest body, SmsRegions regions)
    {
        if (RequestFields.First(RequestFields.Region(body.Region)) is { } badRegion)
        {
            return badRegion;
        }
        if (string.IsNullOrWhiteSpace(body.Phone) && string.IsNullOrWhiteSpace(body.Email))
        {
            return RequestErrors.Missing("phone");
        }

        var identifiers = new List<ContactIdentifier>();
        string? oldPhone = null, email = null;
        if (!string.IsNullOrWhiteSpace(body.Phone))
        {
            if (!PhoneNumber.TryParse(body.Phone, body.Region, out var phone, out var invalid))
            {
                return invalid.With("field", "phone");
            }
            oldPhone = phone.E164;
            identifiers.Add(ContactIdentifier.Of(phone));
        }
        if (!string.IsNullOrWhiteSpace(body.Email))
        {
            if (!EmailAddress.TryParse(body.Email, out var address, out var invalid))
            {
                return invalid.With("field", "email");
            }
            email = address.Value;
            identifiers.Add(ContactIdentifier.Of(address));
        }

        if (RequestFields.Required(body.NewPhone, "newPhone") is { } noPhone)
        {
            return noPhone;
        }
        if (!PhoneNumber.TryParse(body.NewPhone, body.Region, out var newPhone, out var invalidNew))
        {
            return invalidNew.With("field", "newPhone");
        }
        if (regions.CheckNewNumber(newPhone) is { } refused)
        {
            return refused.With("field", "newPhone");
        }

        string? contactEmail = null;
        var notify = body.Notify?.Trim().ToLowerInvariant();
        if (notify is not (null or "" or "phone" or "email"))
        {
            return RequestErrors.Invalid("notify", "phone", "email");
        }
        if (notify == "email" || !string.IsNullOrWhiteSpace(body.ContactEmail) && notify != "phone")
        {
            if (RequestFields.Required(body.ContactEmail, "contactEmail") is { } noEmail)
            {
                return noEmail;
            }
            if (!EmailAddress.TryParse(body.ContactEmail, out var contact, out var invalidContact))
            {
                return invalidContact.With("field", "contactEmail");
            }
            contactEmail = contact.Value;
        }

        var evidence = ParseEvidence(body.SignUpDate, body.Places, body.Devices, body.Contacts, body.Nickname, body.Team);
        if (!evidence.IsSuccess)
        {
            return evidence.Error;
        }
        if (Passwords(body.EarlierPasswords) is { } badPasswords)
        {
            return badPasswords;
        }
        return new Filing(identifiers, evidence.Value with { Phone = oldPhone, Email = email }, newPhone, contactEmail, Typed(body.EarlierPasswords));
    }

    private static Result<SupportEvidence> ParseEvidence(string? signUpDate, IReadOnlyList<string?>? places, IReadOnlyList<string?>? devices,
        IReadOnlyList<string?>? contacts, string? nickname, string? team)
    {
        DateOnly? date = null;
        if (!string.IsNullOrWhiteSpace(signUpDate))
        {
            if (DateOnly.TryParseExact(signUpDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                date = day;
            }
            else if (DateOnly.TryParseExact(signUpDate.Trim() + "-15", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            {
                date = month;
            }
            else
            {
                return RequestErrors.Malformed("signUpDate", "'signUpDate' is a date, yyyy-MM-dd, or a month, yyyy-MM.");
            }
        }
        if (RequestFields.First(List(places, "places"), List(devices, "devices"), List(contacts, "contacts"),
                Bounded(nickname, "nickname", ProfileKeys.MaxLength), Bounded(team, "team", ProfileKeys.MaxLength)) is { } malformed)
        {
            return malformed;
        }
        return new SupportEvidence(null, null, date, Clean(places), Clean(devices), Clean(contacts), Blank(nickname), Blank(team));
    }

    private static Error? List(IReadOnlyList<string?>? items, string field)
    {
        if (items is null)
        {
            return null;
        }
        if (items.Count > SupportEvidence.MaxItems)
        {
            return RequestErrors.Malformed(field, $"'{field}' holds at most {SupportEvidence.MaxItems} entries.");
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]) || items[i]!.Length > SupportEvidence.MaxLength)
            {
                return RequestErrors.Malformed($"{field}[{i}]", $"Each entry is 1–{SupportEvidence.MaxLength} characters.");
            }
        }
        return null;
    }

    private static Error? Bounded(string? value, string field, int max) =>
        value is not null && value.Length > max ? RequestErrors.Malformed(field, $"'{field}' is at most {max} characters.") : null;

    private static Error? Passwords(IReadOnlyList<string?>? passwords)
    {
        if (passwords is null)
        {
            return null;
        }
        if (passwords.Count > MaxEarlierPasswords)
        {
            return RequestErrors.Malformed("earlierPasswords", $"'earlierPasswords' holds at most {MaxEarlierPasswords} passwords.");
        }
        for (var i = 0; i < passwords.Count; i++)
        {
            if (string.IsNullOrEmpty(passwords[i]) || passwords[i]!.Length > 128)
            {
                return RequestErrors.Malformed($"earlierPasswords[{i}]", "Each password is 1–128 characters.");
            }
        }
        return null;
    }

    private static List<string> Typed(IReadOnlyList<string?>? passwords) => passwords?.OfType<string>().ToList() ?? [];

    private static List<string>? Clean(IReadOnlyList<string?>? items) => items?.OfType<string>().Select(i => i.Trim()).ToList();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <param name="Phone">The old phone number (E.164, or national with <paramref name="Region"/>); this or <paramref name="Email"/> names the account.</param>
/// <param name="Email">The email bound to the account.</param>
/// <param name="NewPhone">The phone to bind; an SMS code goes to it.</param>
/// <param name="Notify">Where the decision goes: <c>phone</c> (the new phone, the default) or <c>email</c> (<paramref name="ContactEmail"/>, proven by a code).</param>
/// <param name="SignUpDate">About when the account was created: <c>yyyy-MM-dd</c> or <c>yyyy-MM</c>.</param>
/// <param name="Places">Recent sign-in places: IP addresses or prefixes (<c>203.0.113</c>), or ISO country codes.</param>
/// <param name="Devices">Recent sign-in devices (names, browsers).</param>
/// <param name="Contacts">Names of frequent contacts.</param>
/// <param name="EarlierPasswords">At most 2 passwords the account had; checked when filed and never stored.</param>
public sealed record SupportCaseRequest(
    string? Phone = null,
    string? Email = null,
    string? Region = null,
    string? NewPhone = null,
    string? Notify = null,
    string? ContactEmail = null,
    string? SignUpDate = null,
    IReadOnlyList<string?>? Places = null,
    IReadOnlyList<string?>? Devices = null,
    IReadOnlyList<string?>? Contacts = null,
    string? Nickname = null,
    string? Team = null,
    IReadOnlyList<string?>? EarlierPasswords = null)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("EarlierPasswords = ***");
        return true;
    }
}

/// <summary>More evidence for a case an agent asked about; lists are added to what was filed.</summary>
public sealed record SupportCaseInfoRequest(
    string? Note = null,
    string? SignUpDate = null,
    IReadOnlyList<string?>? Places = null,
    IReadOnlyList<string?>? Devices = null,
    IReadOnlyList<string?>? Contacts = null,
    string? Nickname = null,
    string? Team = null,
    IReadOnlyList<string?>? EarlierPasswords = null)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("EarlierPasswords = ***");
        return true;
    }
}

/// <summary>A support case as its filer sees it.</summary>
/// <param name="Status"><c>verifying</c> (codes), <c>submitted</c>, <c>in_review</c>, <c>more_information_requested</c>, <c>approved</c>, <c>completed</c>, <c>rejected</c>, <c>cancelled</c>, <c>expired</c>, <c>failed</c>.</param>
/// <param name="Next">What to send next: <c>code</c>, <c>info</c>, <c>wait</c>, or null when finished.</param>
/// <param name="WaitingUntil">When approved: the end of the cool-off, when the change applies unless the owner cancels it.</param>
/// <param name="Reason">When rejected: the agent's reason.</param>
/// <param name="InfoRequest">When more information is requested: the agent's question.</param>
public sealed record SupportCaseView(
    string CaseId,
    string Status,
    string State,
    string? Next,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? WaitingUntil,
    string? Reason,
    string? InfoRequest,
    string? Outcome)
{
    public static SupportCaseView From(Flow flow, FlowKinds kinds, FlowPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var status = flow.State switch
        {
            S.AwaitingNewPhoneCode or S.AwaitingContactEmailCode => "verifying",
            S.Scoring => "submitted",
            S.InReview or S.AwaitingSecondApproval => "in_review",
            S.AwaitingMoreInfo => "more_information_requested",
            S.CoolingOff or S.ApplyingChange => "approved",
            FlowStates.Completed => "completed",
            FlowStates.Failed when flow.Outcome == SupportRecoveryFlow.RejectedOutcome => "rejected",
            _ => flow.State,
        };
        var submitted = flow.Data.GetValueOrDefault(SupportDataKeys.SubmittedAt) is { } at
            ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : (DateTimeOffset?)null;
        return new SupportCaseView(
            flow.Id,
            status,
            flow.State,
            FlowView.From(flow, kinds.For(flow.Kind), policy).Next,
            flow.Deadline,
            submitted,
            flow.State == S.CoolingOff ? flow.Deadline : null,
            status == "rejected" ? flow.Data.GetValueOrDefault(SupportDataKeys.Reason) : null,
            flow.State == S.AwaitingMoreInfo ? flow.Data.GetValueOrDefault(SupportDataKeys.InfoRequest) : null,
            flow.State == FlowStates.Completed ? null : flow.Outcome);
    }
}
