using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Worker;

/// <summary>
/// The trigger functions of the orchestrators and activities in <see cref="DurableTasks"/>, written by hand (the
/// registry does not serve Microsoft.DurableTask.Generators). Each calls the same code the local host's classes run.
/// </summary>
public sealed class DurableFunctions(FlowWork work)
{
    [Function(Flows.SignUp.SignUpOrchestrator.Name)]
    public static Task<FlowEnd> SignUp([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.SignUp.SignUpOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.PhoneBinding.BindPhoneOrchestrator.Name)]
    public static Task<FlowEnd> BindPhone([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.PhoneBinding.BindPhoneOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.PhoneChange.ChangePhoneOrchestrator.Name)]
    public static Task<FlowEnd> ChangePhone([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.PhoneChange.ChangePhoneOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.PhoneUnbinding.UnbindPhoneOrchestrator.Name)]
    public static Task<FlowEnd> UnbindPhone([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.PhoneUnbinding.UnbindPhoneOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.EmailBinding.BindEmailOrchestrator.Name)]
    public static Task<FlowEnd> BindEmail([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.EmailBinding.BindEmailOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.EmailChange.ChangeEmailOrchestrator.Name)]
    public static Task<FlowEnd> ChangeEmail([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.EmailChange.ChangeEmailOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.PhoneRecoveryByEmail.RecoverPhoneByEmailOrchestrator.Name)]
    public static Task<FlowEnd> RecoverPhoneByEmail([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.PhoneRecoveryByEmail.RecoverPhoneByEmailOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.PhoneRecoveryByQuestions.RecoverPhoneByQuestionsOrchestrator.Name)]
    public static Task<FlowEnd> RecoverPhoneByQuestions([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.PhoneRecoveryByQuestions.RecoverPhoneByQuestionsOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.PasswordReset.ResetPasswordOrchestrator.Name)]
    public static Task<FlowEnd> ResetPassword([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.PasswordReset.ResetPasswordOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(Flows.SupportRecovery.SupportRecoveryOrchestrator.Name)]
    public static Task<FlowEnd> SupportRecovery([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.SupportRecovery.SupportRecoveryOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);
    [Function(Flows.DeviceSignIn.VerifyDeviceOrchestrator.Name)]
    public static Task<FlowEnd> VerifyDevice([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new Flows.DeviceSignIn.VerifyDeviceOrchestrator().RunAsync(context, context.GetInput<FlowRef>()!);

    [Function(FlowActivities.SendCode)]
    public Task<bool> SendCode([ActivityTrigger] CodeSendRef send, FunctionContext context) => work.SendCodeAsync(send, context.CancellationToken);

    [Function(FlowActivities.ExpireFlow)]
    public Task<FlowState> ExpireFlow([ActivityTrigger] string flowId, FunctionContext context) => work.ExpireAsync(flowId, context.CancellationToken);

    [Function(FlowActivities.ApplyEffect)]
    public Task<FlowState> ApplyEffect([ActivityTrigger] string flowId, FunctionContext context) => work.ApplyEffectAsync(flowId, context.CancellationToken);

    [Function(FlowActivities.ReadFlow)]
    public Task<FlowState> ReadFlow([ActivityTrigger] string flowId, FunctionContext context) => work.ReadAsync(flowId, context.CancellationToken);

    [Function(FlowActivities.SendNotices)]
    public Task<int> SendNotices([ActivityTrigger] string flowId, FunctionContext context) => work.SendNoticesAsync(flowId, context.CancellationToken);
}
