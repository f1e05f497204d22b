using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Rebind.Functions.Support.Console;

/// <summary>
/// The console's HTML: every value that can come from a user or a record goes through <see cref="E"/>
/// (<see cref="HtmlEncoder"/>); no script at all, styles from one same-origin stylesheet, so the page's
/// Content-Security-Policy forbids everything else.
/// </summary>
public sealed class ConsolePage(HttpContext context, string title, ConsoleAgent? agent, string? csrf)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly StringBuilder body = new();

    /// <summary>The console's root as the browser sees it (the Functions host serves it under <c>/api</c>).</summary>
    public string Root => context.Request.PathBase + "/support";

    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    public ConsolePage Raw(string html)
    {
        body.Append(html);
        return this;
    }

    public ConsolePage Text(string? text) => Raw(E(text));

    /// <summary>A POST form to <paramref name="action"/> (under the console's root) with the anti-forgery token.</summary>
    public ConsolePage Form(string action, string fields, string button, string? css = null)
    {
        body.Append("<form method=\"post\" action=\"").Append(E(Root + action)).Append("\"")
            .Append(css is null ? string.Empty : " class=\"" + css + "\"").Append('>')
            .Append("<input type=\"hidden\" name=\"").Append(ConsoleAuth.CsrfField).Append("\" value=\"").Append(E(csrf)).Append("\">")
            .Append(fields).Append("<button type=\"submit\">").Append(E(button)).Append("</button></form>");
        return this;
    }

    public IResult Result(int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts, which the console refuses.
        headers["Referrer-Policy"] = "same-origin";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
            .Append(E(title)).Append(" · Rebind support</title><link rel=\"stylesheet\" href=\"").Append(E(Root + "/console.css")).Append("\"></head><body>")
            .Append("<header><a class=\"brand\" href=\"").Append(E(Root)).Append("\">Rebind support</a>");
        if (agent is not null)
        {
            html.Append("<span class=\"who\">").Append(E(agent.Name)).Append(" · ").Append(E(agent.Roles.Count == 0 ? "no role" : string.Join(", ", agent.Roles))).Append("</span>")
                .Append("<a href=\"").Append(E(Root + "/audit?agent=" + Uri.EscapeDataString(agent.Name))).Append("\">My audit</a>");
            if (csrf is not null)
            {
                html.Append("<form method=\"post\" action=\"").Append(E(Root + "/sign-out")).Append("\" class=\"inline\"><input type=\"hidden\" name=\"")
                    .Append(ConsoleAuth.CsrfField).Append("\" value=\"").Append(E(csrf)).Append("\"><button type=\"submit\">Sign out</button></form>");
            }
        }
        html.Append("</header><main><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public const string Stylesheet = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
        header{display:flex;gap:1rem;align-items:center;padding:.6rem 1.2rem;background:#1f3a5f;color:#fff}
        header a{color:#fff}.brand{font-weight:700;text-decoration:none;margin-right:auto}.who{opacity:.85}
        main{padding:1rem 1.5rem;max-width:1200px}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d6dae0;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
        th{background:#eef1f5}.match{background:#e3f6e8}.partial{background:#fff6d6}.no_match{background:#fde4e4}.not_on_record,.not_given{color:#667}
        .score{font-weight:700}.risky{color:#a40000;font-weight:700}.error{background:#fde4e4;border:1px solid #d99;padding:.5rem}
        .ok{background:#e3f6e8;border:1px solid #9c9;padding:.5rem}
        form{margin:.4rem 0}form.inline{display:inline;margin:0}textarea,input[type=text]{width:100%;max-width:40rem;box-sizing:border-box}
        .decisions{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}.decisions>div{background:#fff;border:1px solid #d6dae0;padding:.7rem}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
        """;
}
