using System.Globalization;
using System.Text;
using Rebind.Azure.Stores;
using Rebind.Core;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SupportRecovery;
using Rebind.Core.Messaging;
using Rebind.Core.Support;
using Rebind.Functions.Flows;
using Rebind.Functions.Flows.Effects;
using static Rebind.Functions.Support.Console.ConsolePage;
using S = Rebind.Core.Flows.SupportRecovery.SupportRecoveryStates;

namespace Rebind.Functions.Support.Console;

/// <summary>
/// The agents' console under <c>/support</c>: server-rendered HTML (no script), the queue by age and score, a case with
/// each claim beside the record and its verdict and the account's recent history, and the decisions. Every view and
/// decision is audited (<see cref="TableSupportAudit"/>). Agents sign in as <see cref="ConsoleAuth"/> says; without the
/// <c>agent</c> or <c>supervisor</c> role the answer is 403, with the console off 404.
/// </summary>
public static class SupportConsole
{
    private const int QueueLimit = 200;
    private const int HistoryShown = 20;

    public static IEndpointRouteBuilder MapSupportConsole(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/support").ExcludeFromDescription();
        group.MapGet("/", Queue).WithName("SupportQueue");
        group.MapGet("/console.css", Styles).WithName("SupportStyles");
        group.MapGet("/sign-in", SignInPage).WithName("SupportSignInPage");
        group.MapPost("/sign-in", SignIn).WithName("SupportSignIn");
        group.MapPost("/sign-out", SignOut).WithName("SupportSignOut");
        group.MapGet("/cases/{caseRef}", Case).WithName("SupportCase");
        group.MapPost("/cases/{caseRef}/approve", Approve).WithName("SupportApprove");
        group.MapPost("/cases/{caseRef}/reject", Reject).WithName("SupportReject");
        group.MapPost("/cases/{caseRef}/request-info", RequestInfo).WithName("SupportRequestInfo");
        group.MapGet("/audit", Audit).WithName("SupportAudit");
        return app;
    }

    /// <summary>The caller as an agent, or the answer instead: 404 (console off), a sign-in (not signed in), 403 (no role).</summary>
    private static (ConsoleAgent? Agent, IResult? Deny) Gate(HttpContext context, ConsoleAuth auth)
    {
        if (auth.Mode == SupportAuthMode.Off)
        {
            return (null, TypedResults.NotFound());
        }
        var agent = auth.Resolve(context);
        if (agent is null)
        {
            return auth.Mode == SupportAuthMode.Development
                ? (null, TypedResults.Redirect(context.Request.PathBase + "/support/sign-in"))
                : (null, new ConsolePage(context, "Not signed in", null, null).Text("Sign in with your organization's account.").Result(StatusCodes.Status401Unauthorized));
        }
        if (!agent.IsAgent)
        {
            return (agent, new ConsolePage(context, "Forbidden", agent, auth.Csrf(agent))
                .Raw("<p class=\"error\">The support console needs the <b>agent</b> or <b>supervisor</b> role.</p>").Result(StatusCodes.Status403Forbidden));
        }
        return (agent, null);
    }

    /// <summary>A POST's agent, with its form and a checked anti-forgery token; else the answer instead.</summary>
    private static async Task<(ConsoleAgent? Agent, IFormCollection? Form, IResult? Deny)> PostGateAsync(HttpContext context, ConsoleAuth auth)
    {
        var (agent, deny) = Gate(context, auth);
        if (deny is not null)
        {
            return (null, null, deny);
        }
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        if (form is null || !auth.CsrfMatches(agent!, form[ConsoleAuth.CsrfField].ToString()) || !SameOrigin(context))
        {
            return (null, null, new ConsolePage(context, "Forbidden", agent, auth.Csrf(agent!))
                .Raw("<p class=\"error\">The form's anti-forgery token is missing or wrong. Reload the page and try again.</p>").Result(StatusCodes.Status403Forbidden));
        }
        return (agent, form, null);
    }

    private static bool SameOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        // Browsers send Origin on POSTs; a request without one (a test client) still needs the token.
        return string.IsNullOrEmpty(origin)
            || string.Equals(origin, context.Request.Scheme + "://" + context.Request.Host, StringComparison.OrdinalIgnoreCase);
    }

    public static IResult Styles(HttpContext context, ConsoleAuth auth)
    {
        if (auth.Mode == SupportAuthMode.Off)
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content(Stylesheet, "text/css; charset=utf-8");
    }

    public static IResult SignInPage(HttpContext context, ConsoleAuth auth)
    {
        if (auth.Mode != SupportAuthMode.Development)
        {
            return TypedResults.NotFound();
        }
        return new ConsolePage(context, "Development sign-in", null, null)
            .Raw("<p>Development only: in Azure, agents sign in with Entra ID (App Service Authentication).</p>")
            .Raw("<form method=\"post\" action=\"" + E(context.Request.PathBase + "/support/sign-in") + "\">")
            .Raw("<p><label>Agent name <input type=\"text\" name=\"name\" id=\"name\" required maxlength=\"64\"></label></p>")
            .Raw("<p><label><input type=\"checkbox\" name=\"role\" value=\"agent\" id=\"role-agent\"> agent</label> ")
            .Raw("<label><input type=\"checkbox\" name=\"role\" value=\"supervisor\" id=\"role-supervisor\"> supervisor</label></p>")
            .Raw("<button type=\"submit\">Sign in</button></form>")
            .Result();
    }

    public static async Task<IResult> SignIn(HttpContext context, ConsoleAuth auth, TableSupportAudit audit, TimeProvider time)
    {
        if (auth.Mode != SupportAuthMode.Development)
        {
            return TypedResults.NotFound();
        }
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        var name = form?["name"].ToString().Trim();
        if (form is null || string.IsNullOrEmpty(name) || name.Length > 64 || !SameOrigin(context))
        {
            return new ConsolePage(context, "Development sign-in", null, null).Raw("<p class=\"error\">Type a name (at most 64 characters).</p>").Result(StatusCodes.Status400BadRequest);
        }
        var roles = form["role"].OfType<string>().Where(r => r is SupportOptions.AgentRole or SupportOptions.SupervisorRole).Distinct().ToList();
        context.Response.Cookies.Append(ConsoleAuth.CookieName, auth.IssueDevelopmentCookie(name, roles), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = context.Request.PathBase + "/support",
            MaxAge = ConsoleAuth.DevelopmentSession,
        });
        await audit.RecordAsync(new SupportAuditEntry(time.GetUtcNow(), name, "sign_in", "-", string.Join(",", roles)), context.RequestAborted);
        return TypedResults.Redirect(context.Request.PathBase + "/support");
    }

    public static async Task<IResult> SignOut(HttpContext context, ConsoleAuth auth, TableSupportAudit audit, TimeProvider time)
    {
        var (agent, _, deny) = await PostGateAsync(context, auth);
        if (deny is not null && agent is null && auth.Mode == SupportAuthMode.Development && auth.Resolve(context) is { } roleless)
        {
            agent = roleless; // a signed-in person without a role may still sign out
        }
        else if (deny is not null)
        {
            return deny;
        }
        context.Response.Cookies.Delete(ConsoleAuth.CookieName, new CookieOptions { Path = context.Request.PathBase + "/support" });
        await audit.RecordAsync(new SupportAuditEntry(time.GetUtcNow(), agent!.Name, "sign_out", "-", null), context.RequestAborted);
        return auth.Mode == SupportAuthMode.Development
            ? TypedResults.Redirect(context.Request.PathBase + "/support/sign-in")
            : TypedResults.Redirect("/.auth/logout");
    }

    public static async Task<IResult> Queue(HttpContext context, ConsoleAuth auth, TableSupportCases cases, TableSupportAudit audit, TimeProvider time, string? sort = null)
    {
        var (agent, deny) = Gate(context, auth);
        if (deny is not null)
        {
            return deny;
        }
        var now = time.GetUtcNow();
        var rows = await cases.QueueAsync(QueueLimit, context.RequestAborted);
        var ordered = sort == "score"
            ? rows.OrderByDescending(r => r.Score).ThenBy(r => r.SubmittedAt).ToList()
            : rows.OrderBy(r => r.SubmittedAt).ToList();
        await audit.RecordAsync(new SupportAuditEntry(now, agent!.Name, "view_queue", "-", sort ?? "age"), context.RequestAborted);

        var page = new ConsolePage(context, "Queue", agent, auth.Csrf(agent));
        page.Raw("<p>Open cases: ").Text(rows.Count.ToString(CultureInfo.InvariantCulture)).Raw(". Sort by <a href=\"").Text(page.Root + "?sort=age").Raw("\">age</a> · <a href=\"")
            .Text(page.Root + "?sort=score").Raw("\">score</a>.</p>");
        page.Raw("<table id=\"queue\"><thead><tr><th>Case</th><th>Waiting</th><th>State</th><th>Score</th><th>Account</th><th>Decide by</th></tr></thead><tbody>");
        foreach (var row in ordered)
        {
            page.Raw("<tr><td><a href=\"").Text(page.Root + "/cases/" + row.Ref).Raw("\">").Text(row.Ref).Raw("</a></td><td>")
                .Text(Age(now - (row.SubmittedAt ?? now))).Raw("</td><td>").Text(row.State).Raw("</td><td class=\"score\">")
                .Text(row.Score < 0 ? "—" : row.Score.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>")
                .Text(row.HasAccount ? "found" : "none matches").Raw("</td><td>").Text(Time(row.Deadline)).Raw("</td></tr>");
        }
        page.Raw("</tbody></table>");
        return page.Result();
    }

    public static async Task<IResult> Case(string caseRef, HttpContext context, ConsoleAuth auth, TableSupportCases cases, TableSupportAudit audit,
        FlowInputs inputs, IActivityLog activity, SupportOptions options, TimeProvider time) =>
        await CasePageAsync(caseRef, context, auth, cases, audit, inputs, activity, options, time, message: null, status: StatusCodes.Status200OK, record: true);

    private static async Task<IResult> CasePageAsync(string caseRef, HttpContext context, ConsoleAuth auth, TableSupportCases cases, TableSupportAudit audit,
        FlowInputs inputs, IActivityLog activity, SupportOptions options, TimeProvider time, (bool Ok, string Text)? message, int status, bool record)
    {
        var (agent, deny) = Gate(context, auth);
        if (deny is not null)
        {
            return deny;
        }
        var row = IsRef(caseRef) ? await cases.GetAsync(caseRef, context.RequestAborted) : null;
        var read = row is null ? (Result<Flow>?)null : await inputs.ReadAsync(row.FlowId, callerAccountId: null, context.RequestAborted);
        if (row is null || read is not { IsSuccess: true })
        {
            return new ConsolePage(context, "No such case", agent, auth.Csrf(agent!)).Result(StatusCodes.Status404NotFound);
        }
        var flow = read.Value.Value;
        var now = time.GetUtcNow();
        if (record)
        {
            await audit.RecordAsync(new SupportAuditEntry(now, agent!.Name, "view_case", caseRef, flow.State), context.RequestAborted);
        }

        var accountId = flow.Data.GetValueOrDefault(FlowDataKeys.AccountId);
        var history = accountId is null ? [] : (await activity.ListAsync(accountId, HistoryShown, cancellationToken: context.RequestAborted)).Items;
        var recentChanges = ScoreSupportCaseHandler.HasRecentSecurityChanges(history, now);
        var score = SupportRecoveryFlow.Score(flow);
        var report = SupportRecoveryFlow.Report(flow);

        var page = new ConsolePage(context, "Case " + caseRef, agent, auth.Csrf(agent!));
        if (message is { } m)
        {
            page.Raw(m.Ok ? "<p class=\"ok\" id=\"message\">" : "<p class=\"error\" id=\"message\">").Text(m.Text).Raw("</p>");
        }
        page.Raw("<dl id=\"summary\"><dt>State</dt><dd id=\"state\">").Text(flow.State).Raw("</dd><dt>Score</dt><dd class=\"score\" id=\"score\">")
            .Text(score < 0 ? "not scored yet" : score.ToString(CultureInfo.InvariantCulture) + " / 100").Raw("</dd>")
            .Raw("<dt>Submitted</dt><dd>").Text(flow.Data.GetValueOrDefault(SupportDataKeys.SubmittedAt)).Raw("</dd>")
            .Raw("<dt>").Text(flow.State == S.CoolingOff ? "Applies at" : "Decide by").Raw("</dt><dd>").Text(Time(flow.Deadline)).Raw("</dd>")
            .Raw("<dt>Account</dt><dd>").Text(accountId is null ? "no account matches the old phone or email" : "found").Raw("</dd>");
        var risks = new List<string>();
        if (score >= 0 && score < options.RiskyBelowScore)
        {
            risks.Add($"score below {options.RiskyBelowScore}");
        }
        if (recentChanges || flow.Data.GetValueOrDefault(SupportDataKeys.RecentSecurityChanges) == "true")
        {
            risks.Add("security changes on the account in the last 7 days");
        }
        page.Raw("<dt>Risk</dt><dd").Raw(risks.Count > 0 ? " class=\"risky\" id=\"risk\">" : " id=\"risk\">")
            .Text(risks.Count > 0 ? "risky: " + string.Join("; ", risks) + " — approval needs a second agent with the supervisor role" : "none").Raw("</dd>");
        foreach (var (label, key) in new[] { ("Approved by", SupportDataKeys.ApprovedBy), ("First approval", SupportDataKeys.FirstApprover), ("Decided by", SupportDataKeys.DecidedBy), ("Reason", SupportDataKeys.Reason), ("Asked the filer", SupportDataKeys.InfoRequest) })
        {
            if (flow.Data.GetValueOrDefault(key) is { } value)
            {
                page.Raw("<dt>").Text(label).Raw("</dt><dd>").Text(value).Raw("</dd>");
            }
        }
        page.Raw("</dl>");

        page.Raw("<h2>Evidence</h2><table id=\"evidence\"><thead><tr><th>Item</th><th>The filer says</th><th>The records hold</th><th>Verdict</th><th>Points</th><th>Why</th></tr></thead><tbody>");
        foreach (var item in report?.Items ?? [])
        {
            page.Raw("<tr class=\"").Text(item.Verdict).Raw("\"><td>").Text(item.Item).Raw("</td><td>").Text(item.Claim ?? "—").Raw("</td><td>").Text(item.Record ?? "—")
                .Raw("</td><td>").Text(item.Verdict.Replace('_', ' ')).Raw("</td><td>").Text(string.Create(CultureInfo.InvariantCulture, $"{item.Points} / {item.Weight}"))
                .Raw("</td><td>").Text(item.Reason).Raw("</td></tr>");
        }
        page.Raw("</tbody></table>");
        if (flow.Data.GetValueOrDefault(SupportDataKeys.Notes) is { } notes)
        {
            page.Raw("<h2>The filer's notes</h2><pre id=\"notes\">").Text(notes).Raw("</pre>");
        }

        page.Raw("<h2>Decision</h2>");
        var canDecide = flow.State is S.InReview or S.AwaitingSecondApproval or S.AwaitingMoreInfo;
        if (!canDecide)
        {
            page.Raw("<p>Nothing to decide in this state.</p>");
        }
        else
        {
            page.Raw("<div class=\"decisions\">");
            if (flow.State is S.InReview or S.AwaitingSecondApproval)
            {
                page.Raw("<div>").Form($"/cases/{caseRef}/approve", flow.State == S.AwaitingSecondApproval ? "<p>Second approval (supervisor).</p>" : "<p>Approve: the owner's contacts are told and can cancel during the cool-off.</p>", "Approve").Raw("</div>");
            }
            page.Raw("<div>").Form($"/cases/{caseRef}/reject", "<p><label>Reason (sent to the filer)<textarea name=\"reason\" id=\"reason\" rows=\"3\" required maxlength=\"300\"></textarea></label></p>", "Reject").Raw("</div>");
            if (flow.State == S.InReview)
            {
                page.Raw("<div>").Form($"/cases/{caseRef}/request-info", "<p><label>What do you need? <textarea name=\"question\" id=\"question\" rows=\"3\" required maxlength=\"300\"></textarea></label></p>", "Ask for more information").Raw("</div>");
            }
            page.Raw("</div>");
        }

        page.Raw("<h2>The account's recent history</h2>");
        if (accountId is null)
        {
            page.Raw("<p>No account.</p>");
        }
        else
        {
            page.Raw("<table id=\"history\"><thead><tr><th>When</th><th>What</th><th>Outcome</th><th>IP</th><th>Device</th><th>User agent</th></tr></thead><tbody>");
            foreach (var e in history)
            {
                page.Raw("<tr><td>").Text(Time(e.OccurredAt)).Raw("</td><td>").Text(e.Type).Raw("</td><td>").Text(e.Outcome).Raw("</td><td>").Text(e.IpAddress)
                    .Raw("</td><td>").Text(e.DeviceName).Raw("</td><td>").Text(e.UserAgent).Raw("</td></tr>");
            }
            page.Raw("</tbody></table>");
        }

        page.Raw("<h2>Audit</h2>");
        AuditTable(page, await audit.ForCaseAsync(caseRef, 100, context.RequestAborted));
        return page.Result(status);
    }

    public static Task<IResult> Approve(string caseRef, HttpContext context, ConsoleAuth auth, TableSupportCases cases, TableSupportAudit audit,
        FlowInputs inputs, IActivityLog activity, SupportOptions options, TimeProvider time) =>
        DecideAsync(caseRef, context, auth, cases, audit, inputs, activity, options, time, "approve", async (agent, form, flow) =>
        {
            var accountId = flow.Data.GetValueOrDefault(FlowDataKeys.AccountId);
            var recent = accountId is not null && ScoreSupportCaseHandler.HasRecentSecurityChanges(
                (await activity.ListAsync(accountId, ScoreSupportCaseHandler.HistoryRead, cancellationToken: context.RequestAborted)).Items, time.GetUtcNow());
            return new ApproveCase(agent.Name, agent.IsSupervisor, recent);
        });

    public static Task<IResult> Reject(string caseRef, HttpContext context, ConsoleAuth auth, TableSupportCases cases, TableSupportAudit audit,
        FlowInputs inputs, IActivityLog activity, SupportOptions options, TimeProvider time) =>
        DecideAsync(caseRef, context, auth, cases, audit, inputs, activity, options, time, "reject", (agent, form, _) =>
            Task.FromResult<FlowInput?>(Required(form, "reason") is { } reason ? new RejectCase(agent.Name, reason) : null));

    public static Task<IResult> RequestInfo(string caseRef, HttpContext context, ConsoleAuth auth, TableSupportCases cases, TableSupportAudit audit,
        FlowInputs inputs, IActivityLog activity, SupportOptions options, TimeProvider time) =>
        DecideAsync(caseRef, context, auth, cases, audit, inputs, activity, options, time, "request_info", (agent, form, _) =>
            Task.FromResult<FlowInput?>(Required(form, "question") is { } question ? new RequestCaseInfo(agent.Name, question) : null));

    private static string? Required(IFormCollection form, string field)
    {
        var value = form[field].ToString().Trim();
        return value.Length is > 0 and <= 300 ? value : null;
    }

    private static async Task<IResult> DecideAsync(string caseRef, HttpContext context, ConsoleAuth auth, TableSupportCases cases, TableSupportAudit audit,
        FlowInputs inputs, IActivityLog activity, SupportOptions options, TimeProvider time, string action,
        Func<ConsoleAgent, IFormCollection, Flow, Task<FlowInput?>> decide)
    {
        var (agent, form, deny) = await PostGateAsync(context, auth);
        if (deny is not null)
        {
            return deny;
        }
        var row = IsRef(caseRef) ? await cases.GetAsync(caseRef, context.RequestAborted) : null;
        if (row is null)
        {
            return new ConsolePage(context, "No such case", agent, auth.Csrf(agent!)).Result(StatusCodes.Status404NotFound);
        }

        FlowInput? input = null;
        var result = await inputs.ApplyAsync(row.FlowId, callerAccountId: null, async (flow, _) =>
        {
            input = await decide(agent!, form!, flow);
            return input is null ? Result<FlowInput>.Failure(Http.RequestErrors.Missing(action == "reject" ? "reason" : "question")) : Result<FlowInput>.Success(input);
        }, context.RequestAborted);

        var now = time.GetUtcNow();
        if (!result.IsSuccess)
        {
            await audit.RecordAsync(new SupportAuditEntry(now, agent!.Name, action + "_refused", caseRef, result.Error.Code), context.RequestAborted);
            var status = result.Error.Code == SupportErrors.SupervisorRequiredCode ? StatusCodes.Status403Forbidden : Http.ErrorResults.StatusFor(result.Error);
            var text = ErrorText.For(result.Error.Code, "en") ?? result.Error.Message;
            return await CasePageAsync(caseRef, context, auth, cases, audit, inputs, activity, options, time, (false, text), status, record: false);
        }

        var flowAfter = result.Value;
        var what = action == "approve"
            ? flowAfter.State == S.AwaitingSecondApproval ? "approve_first" : "approve"
            : action;
        var detail = input switch
        {
            RejectCase r => r.Reason,
            RequestCaseInfo q => q.Question,
            ApproveCase a => a.Risky || flowAfter.State == S.AwaitingSecondApproval ? "risky" : null,
            _ => null,
        };
        await audit.RecordAsync(new SupportAuditEntry(now, agent!.Name, what, caseRef, detail), context.RequestAborted);
        return TypedResults.Redirect($"{context.Request.PathBase}/support/cases/{caseRef}");
    }

    public static async Task<IResult> Audit(HttpContext context, ConsoleAuth auth, TableSupportAudit audit, TimeProvider time, string? @case = null, string? agent = null)
    {
        var (caller, deny) = Gate(context, auth);
        if (deny is not null)
        {
            return deny;
        }
        var byCase = !string.IsNullOrEmpty(@case) && IsRef(@case);
        var who = byCase ? null : string.IsNullOrWhiteSpace(agent) ? caller!.Name : agent.Trim();
        var entries = byCase
            ? await audit.ForCaseAsync(@case!, 200, context.RequestAborted)
            : await audit.ForAgentAsync(who!, 200, context.RequestAborted);
        await audit.RecordAsync(new SupportAuditEntry(time.GetUtcNow(), caller!.Name, "view_audit", byCase ? @case! : "-", byCase ? null : "agent:" + who), context.RequestAborted);
        var page = new ConsolePage(context, byCase ? "Audit of case " + @case : "Audit of agent " + who, caller, auth.Csrf(caller));
        AuditTable(page, entries);
        return page.Result();
    }

    private static void AuditTable(ConsolePage page, IReadOnlyList<SupportAuditEntry> entries)
    {
        page.Raw("<table id=\"audit\"><thead><tr><th>When</th><th>Agent</th><th>What</th><th>Case</th><th>Detail</th></tr></thead><tbody>");
        foreach (var e in entries)
        {
            page.Raw("<tr><td>").Text(Time(e.At)).Raw("</td><td><a href=\"").Text(page.Root + "/audit?agent=" + Uri.EscapeDataString(e.Agent)).Raw("\">").Text(e.Agent)
                .Raw("</a></td><td>").Text(e.Action).Raw("</td><td>");
            if (e.CaseRef == "-")
            {
                page.Text("—");
            }
            else
            {
                page.Raw("<a href=\"").Text(page.Root + "/cases/" + e.CaseRef).Raw("\">").Text(e.CaseRef).Raw("</a>");
            }
            page.Raw("</td><td>").Text(e.Detail).Raw("</td></tr>");
        }
        page.Raw("</tbody></table>");
    }

    private static bool IsRef(string value) => value.Length == 16 && value.All(char.IsAsciiHexDigitLower);

    private static string Age(TimeSpan age) => age.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d {age.Hours} h")
        : age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes} min") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)age.TotalMinutes)} min");
}
