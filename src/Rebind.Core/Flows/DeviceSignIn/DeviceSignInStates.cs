namespace Rebind.Core.Flows.DeviceSignIn;

/// <summary>States of <c>verify_device</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class DeviceSignInStates
{
    /// <summary>Waiting for the code sent to the bound phone (or the email when no phone is bound).</summary>
    public const string AwaitingCode = "awaiting_code";

    /// <summary>Code confirmed, session issued: the device is being remembered and the alert sent; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
