using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Rebind.Functions.Worker;

/// <summary>
/// One HTTP function per route of the API (host.json's route prefix adds <c>/api</c>), named as the route's endpoint.
/// Each only tells the Functions host which requests to forward; <see cref="RebindPipeline"/> serves them, exactly as
/// the local host does, with the Durable client the host binds to the call (flows start and tell their orchestrations
/// through it). Authorization is the app's own (bearer sessions), so every function is anonymous to the host.
/// <c>FunctionsAppTests</c> checks these against the local host's routes, so the two cannot drift.
/// </summary>
public sealed class HttpFunctions(RebindPipeline pipeline)
{
    [Function("OpenApiDocument")]
    public Task<IResult> OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("Alive")]
    public Task<IResult> Alive([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("Ready")]
    public Task<IResult> Ready([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartSignUp")]
    public Task<IResult> StartSignUp([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signup")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SetPassword")]
    public Task<IResult> SetPassword([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/password")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("GetFlow")]
    public Task<IResult> GetFlow([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "flows/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("CancelFlow")]
    public Task<IResult> CancelFlow([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "flows/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SubmitCode")]
    public Task<IResult> SubmitCode([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/code")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ResendCode")]
    public Task<IResult> ResendCode([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/resend")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SubmitPhone")]
    public Task<IResult> SubmitPhone([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/phone")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SubmitEmail")]
    public Task<IResult> SubmitEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/email")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SubmitAnswers")]
    public Task<IResult> SubmitAnswers([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/answers")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartPasswordReset")]
    public Task<IResult> StartPasswordReset([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "password/reset")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartPhoneRecoveryByEmail")]
    public Task<IResult> StartPhoneRecoveryByEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/phone/email")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartPhoneRecoveryByQuestions")]
    public Task<IResult> StartPhoneRecoveryByQuestions([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/phone/questions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("CancelPendingRecovery")]
    public Task<IResult> CancelPendingRecovery([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/cancel")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("RecoveryNoAccess")]
    public Task<IResult> RecoveryNoAccess([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/no-access")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ReportContactNotMe")]
    public Task<IResult> ReportContactNotMe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contacts/not-me")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("DevInbox")]
    public Task<IResult> DevInbox([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/inbox")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SignIn")]
    public Task<IResult> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/sign-in")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("VerifyDeviceSignIn")]
    public Task<IResult> VerifyDeviceSignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/sign-in/verify")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ReportSignInNotMe")]
    public Task<IResult> ReportSignInNotMe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/not-me")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("SignOut")]
    public Task<IResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/sign-out")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("Reauthenticate")]
    public Task<IResult> Reauthenticate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/reauthenticate")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("GetMe")]
    public Task<IResult> GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ListSessions")]
    public Task<IResult> ListSessions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/sessions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("EndSession")]
    public Task<IResult> EndSession([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/sessions/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("EndOtherSessions")]
    public Task<IResult> EndOtherSessions([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/sessions/end-others")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ListActivity")]
    public Task<IResult> ListActivity([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/activity")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("GetSecurityQuestions")]
    public Task<IResult> GetSecurityQuestions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/security-questions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("GetSecurityQuestionCatalogue")]
    public Task<IResult> GetSecurityQuestionCatalogue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/security-questions/catalogue")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ListDevices")]
    public Task<IResult> ListDevices([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/devices")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ForgetDevice")]
    public Task<IResult> ForgetDevice([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/devices/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("ChangePassword")]
    public Task<IResult> ChangePassword([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/password")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("PutSecurityQuestions")]
    public Task<IResult> PutSecurityQuestions([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/security-questions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartBindPhone")]
    public Task<IResult> StartBindPhone([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/phone/bind")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartChangePhone")]
    public Task<IResult> StartChangePhone([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/phone/change")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartUnbindPhone")]
    public Task<IResult> StartUnbindPhone([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/phone")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartBindEmail")]
    public Task<IResult> StartBindEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/email/bind")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

    [Function("StartChangeEmail")]
    public Task<IResult> StartChangeEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/email/change")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        pipeline.InvokeAsync(request, durable);

}
