using Microsoft.DurableTask;

namespace Rebind.Functions.Durable;

/// <summary>
/// Every orchestrator and activity of the app, by the name both hosts call it: the local host registers these classes
/// with its worker (<see cref="Register"/>); the Functions worker has one trigger function per name
/// (<see cref="Worker.DurableFunctions"/>). <c>FunctionsAppTests</c> checks the generated <c>functions.metadata</c>
/// against these lists, so neither host can have one the other lacks.
/// </summary>
public static class DurableTasks
{
    public static readonly IReadOnlyDictionary<string, Type> Orchestrators = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [Flows.SignUp.SignUpOrchestrator.Name] = typeof(Flows.SignUp.SignUpOrchestrator),
        [Flows.PhoneBinding.BindPhoneOrchestrator.Name] = typeof(Flows.PhoneBinding.BindPhoneOrchestrator),
        [Flows.PhoneChange.ChangePhoneOrchestrator.Name] = typeof(Flows.PhoneChange.ChangePhoneOrchestrator),
        [Flows.PhoneUnbinding.UnbindPhoneOrchestrator.Name] = typeof(Flows.PhoneUnbinding.UnbindPhoneOrchestrator),
        [Flows.EmailBinding.BindEmailOrchestrator.Name] = typeof(Flows.EmailBinding.BindEmailOrchestrator),
        [Flows.EmailChange.ChangeEmailOrchestrator.Name] = typeof(Flows.EmailChange.ChangeEmailOrchestrator),
        [Flows.PhoneRecoveryByEmail.RecoverPhoneByEmailOrchestrator.Name] = typeof(Flows.PhoneRecoveryByEmail.RecoverPhoneByEmailOrchestrator),
        [Flows.PhoneRecoveryByQuestions.RecoverPhoneByQuestionsOrchestrator.Name] = typeof(Flows.PhoneRecoveryByQuestions.RecoverPhoneByQuestionsOrchestrator),
        [Flows.PasswordReset.ResetPasswordOrchestrator.Name] = typeof(Flows.PasswordReset.ResetPasswordOrchestrator),
        [Flows.SupportRecovery.SupportRecoveryOrchestrator.Name] = typeof(Flows.SupportRecovery.SupportRecoveryOrchestrator),
        [Flows.DeviceSignIn.VerifyDeviceOrchestrator.Name] = typeof(Flows.DeviceSignIn.VerifyDeviceOrchestrator),
    };

    public static readonly IReadOnlyDictionary<string, Type> Activities = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [FlowActivities.SendCode] = typeof(SendCodeActivity),
        [FlowActivities.ExpireFlow] = typeof(ExpireFlowActivity),
        [FlowActivities.ApplyEffect] = typeof(ApplyEffectActivity),
        [FlowActivities.ReadFlow] = typeof(ReadFlowActivity),
        [FlowActivities.SendNotices] = typeof(SendNoticesActivity),
    };

    public static void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var (name, type) in Orchestrators)
        {
            registry.AddOrchestrator(name, type);
        }
        foreach (var (name, type) in Activities)
        {
            registry.AddActivity(name, type);
        }
    }
}
