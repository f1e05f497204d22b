using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Rebind.Functions.Worker;

/// <summary>
/// The HTTP functions of support-assisted recovery, the support console and the profile, as <see cref="HttpFunctions"/>:
/// each forwards to <see cref="RebindPipeline"/>. The console's routes sit under the host's <c>api</c> prefix
/// (<c>/api/support/...</c>); the pipeline serves them as the local host's <c>/support/...</c> with <c>/api</c> as the
/// path base, so the console's links work under either host.
/// </summary>
public sealed class SupportHttpFunctions(RebindPipeline pipeline)
{
    [Function("FileSupportCase")]
    public Task<IResult> FileSupportCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/support")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("GetSupportCase")]
    public Task<IResult> GetSupportCase([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "recovery/support/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("AddSupportCaseInfo")]
    public Task<IResult> AddSupportCaseInfo([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/support/{id}/info")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("GetProfile")]
    public Task<IResult> GetProfile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/profile")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("PutProfile")]
    public Task<IResult> PutProfile([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/profile")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportQueue")]
    public Task<IResult> SupportQueue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportStyles")]
    public Task<IResult> SupportStyles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/console.css")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportSignInPage")]
    public Task<IResult> SupportSignInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/sign-in")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportSignIn")]
    public Task<IResult> SupportSignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/sign-in")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportSignOut")]
    public Task<IResult> SupportSignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/sign-out")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportCase")]
    public Task<IResult> SupportCase([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/cases/{caseRef}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportApprove")]
    public Task<IResult> SupportApprove([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/cases/{caseRef}/approve")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportReject")]
    public Task<IResult> SupportReject([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/cases/{caseRef}/reject")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportRequestInfo")]
    public Task<IResult> SupportRequestInfo([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/cases/{caseRef}/request-info")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SupportAudit")]
    public Task<IResult> SupportAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/audit")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);
}
