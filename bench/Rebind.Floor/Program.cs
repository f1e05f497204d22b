using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rebind.Functions.Hosting;

// The floor under the local host's memory: the frame the app runs in, without the app, for `bench memory` to start and
// measure beside the app (README, "Load", the memory target).
//   web      an ASP.NET Core host as the app builds it (WebApplication.CreateBuilder) with one route, /api/health/ready
//   durable  the same plus the local host's Durable Task runtime exactly as the app sets it up (DurableSetup: the gRPC
//            sidecar over the Azure Storage backend, the worker with the app's orchestrators and activities registered,
//            the client); ready once the task hub answers through the sidecar, as the app's readiness probe asks
// Settings (Urls, Storage__*, Durable__*) come from the environment, as the app's do.
if (args is not ["web" or "durable"])
{
    Console.Error.WriteLine("usage: Rebind.Floor web|durable");
    return 2;
}
var durable = args[0] == "durable";
var builder = WebApplication.CreateBuilder();
if (durable)
{
    builder.AddRebindDurable();
    // The setup also registers the cleanup's purge step, whose services are the app's; nothing here resolves it.
    builder.Host.UseDefaultServiceProvider(o => o.ValidateOnBuild = false);
}
var app = builder.Build();
app.MapGet("/api/health/ready", async (HttpContext context) =>
{
    if (durable)
    {
        await context.RequestServices.GetRequiredService<DurableTaskClient>()
            .GetInstanceAsync("rebind-floor-probe", getInputsAndOutputs: false, context.RequestAborted);
    }
    return Results.Ok();
});
await app.RunAsync();
return 0;
