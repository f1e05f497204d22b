using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Rebind.Functions.Hosting;

/// <summary>
/// OpenTelemetry in both hosts: traces of the HTTP requests (ASP.NET Core) and of the Durable Task SDK's
/// orchestrations and activities (source <c>Microsoft.DurableTask</c>, whose context travels with each orchestration
/// start and activity, so a request and the work it starts are one trace), the app's meters (<c>Rebind.*</c>), and
/// logs. Exported to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is, to the console with <c>Telemetry__Console=true</c>; none of them, nothing
/// leaves the process. What could carry personal data is cut at the source: a request's path is reported as its route
/// template (a flow id in the path is a bearer capability), its query string not at all, no request body or
/// orchestration input is recorded, and meter tags are kinds, states, codes, channels and rule names only.
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "rebind";

    public static void AddRebindTelemetry(this IHostApplicationBuilder builder, bool behindFunctionsHost)
    {
        var configuration = builder.Configuration;
        var azureMonitor = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = configuration.GetValue<bool>("Telemetry:Console");

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource("Rebind.*", "Microsoft.DurableTask")
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.RecordException = false;
                        // The local host's Durable sidecar serves gRPC in this process: its polls are not requests.
                        o.Filter = context => !context.Request.Path.StartsWithSegments("/TaskHubSidecarService", StringComparison.Ordinal);
                        o.EnrichWithHttpResponse = (activity, response) => Redact(activity, response.HttpContext);
                    });
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("Rebind.*").AddAspNetCoreInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            })
            .WithLogging(logging =>
            {
                if (console)
                {
                    logging.AddConsoleExporter();
                }
            }, options =>
            {
                // The message template and its named values, not the rendered text: the values are already what the
                // log hygiene allows (references, counts, codes), and a template groups well in a query.
                options.IncludeFormattedMessage = false;
                options.IncludeScopes = false;
            });
        // Both exporters take all three signals.
        if (!string.IsNullOrWhiteSpace(azureMonitor))
        {
            telemetry.UseAzureMonitorExporter(o => o.ConnectionString = azureMonitor);
        }
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }
        if (behindFunctionsHost)
        {
            // The Functions host's invocation context: the worker's spans join the host's trace of each invocation.
            telemetry.UseFunctionsWorkerDefaults();
        }
    }

    /// <summary>The request's path as its route template, and no query string: <c>/api/flows/{id}/code</c>, never the id.</summary>
    private static void Redact(Activity activity, HttpContext context)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        activity.SetTag("url.path", route is null ? "(no route)" : "/" + route.TrimStart('/'));
        activity.SetTag("url.query", null);
        activity.SetTag("url.full", null);
    }
}
