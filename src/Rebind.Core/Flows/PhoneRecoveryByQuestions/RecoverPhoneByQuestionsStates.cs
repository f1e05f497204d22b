namespace Rebind.Core.Flows.PhoneRecoveryByQuestions;

/// <summary>States of <c>recover_phone_by_questions</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class RecoverPhoneByQuestionsStates
{
    /// <summary>Waiting for the answers to the account's security questions.</summary>
    public const string AwaitingAnswers = "awaiting_answers";

    /// <summary>Answers right; waiting for the new number.</summary>
    public const string AwaitingNewPhone = "awaiting_new_phone";

    /// <summary>Waiting for the code sent to the new phone.</summary>
    public const string AwaitingNewPhoneCode = "awaiting_new_phone_code";

    /// <summary>
    /// New phone verified; the change waits out the cool-off (the flow's deadline is its end) and can be cancelled
    /// with the code from the notices. At the deadline it matures into <see cref="ApplyingChange"/>.
    /// </summary>
    public const string CoolingOff = "cooling_off";

    /// <summary>Waiting for the <see cref="ChangePhone"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
