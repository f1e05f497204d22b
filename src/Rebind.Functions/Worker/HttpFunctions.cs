using Microsoft.Azure.Functions.Worker;

namespace Rebind.Functions.Worker;

/// <summary>
/// One HTTP function per route of the API (host.json's route prefix adds <c>/api</c>), named as the route's endpoint.
/// Each only tells the Functions host which requests to forward; <see cref="RebindPipeline"/> serves them, exactly as
/// the local host does. Authorization is the app's own (bearer sessions), so every function is anonymous to the host.
/// <c>FunctionsAppTests</c> checks these against the local host's routes, so the two cannot drift.
/// </summary>
public sealed class HttpFunctions(RebindPipeline pipeline)
{
    [Function("OpenApiDocument")]
    public Task<IResult> OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("Alive")]
    public Task<IResult> Alive([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("Ready")]
    public Task<IResult> Ready([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartSignUp")]
    public Task<IResult> StartSignUp([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signup")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("SetPassword")]
    public Task<IResult> SetPassword([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/password")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("GetFlow")]
    public Task<IResult> GetFlow([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "flows/{id}")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("CancelFlow")]
    public Task<IResult> CancelFlow([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "flows/{id}")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("SubmitCode")]
    public Task<IResult> SubmitCode([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/code")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("ResendCode")]
    public Task<IResult> ResendCode([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/resend")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("SubmitPhone")]
    public Task<IResult> SubmitPhone([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/phone")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("SubmitEmail")]
    public Task<IResult> SubmitEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/email")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("SubmitAnswers")]
    public Task<IResult> SubmitAnswers([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "flows/{id}/answers")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartPasswordReset")]
    public Task<IResult> StartPasswordReset([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "password/reset")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartPhoneRecoveryByEmail")]
    public Task<IResult> StartPhoneRecoveryByEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/phone/email")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartPhoneRecoveryByQuestions")]
    public Task<IResult> StartPhoneRecoveryByQuestions([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/phone/questions")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("CancelPendingRecovery")]
    public Task<IResult> CancelPendingRecovery([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/cancel")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("RecoveryNoAccess")]
    public Task<IResult> RecoveryNoAccess([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "recovery/no-access")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("ReportContactNotMe")]
    public Task<IResult> ReportContactNotMe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contacts/not-me")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("DevInbox")]
    public Task<IResult> DevInbox([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/inbox")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("SignIn")]
    public Task<IResult> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/sign-in")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("SignOut")]
    public Task<IResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/sign-out")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("Reauthenticate")]
    public Task<IResult> Reauthenticate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/reauthenticate")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("GetMe")]
    public Task<IResult> GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("ListSessions")]
    public Task<IResult> ListSessions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/sessions")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("EndSession")]
    public Task<IResult> EndSession([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/sessions/{id}")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("EndOtherSessions")]
    public Task<IResult> EndOtherSessions([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/sessions/end-others")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("ListActivity")]
    public Task<IResult> ListActivity([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/activity")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("GetSecurityQuestions")]
    public Task<IResult> GetSecurityQuestions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/security-questions")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("GetSecurityQuestionCatalogue")]
    public Task<IResult> GetSecurityQuestionCatalogue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/security-questions/catalogue")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("PutSecurityQuestions")]
    public Task<IResult> PutSecurityQuestions([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/security-questions")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartBindPhone")]
    public Task<IResult> StartBindPhone([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/phone/bind")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartChangePhone")]
    public Task<IResult> StartChangePhone([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/phone/change")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartUnbindPhone")]
    public Task<IResult> StartUnbindPhone([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/phone")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartBindEmail")]
    public Task<IResult> StartBindEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/email/bind")] HttpRequest request) => pipeline.InvokeAsync(request);

    [Function("StartChangeEmail")]
    public Task<IResult> StartChangeEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/email/change")] HttpRequest request) => pipeline.InvokeAsync(request);

}
