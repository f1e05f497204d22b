namespace Rebind.Functions.Flows;

/// <summary>Values of <see cref="FlowView.Next"/>.</summary>
public static class FlowNextSteps
{
    public const string Code = "code";
    public const string Password = "password";

    /// <summary>The new phone number (<c>POST /api/flows/{id}/phone</c>).</summary>
    public const string Phone = "phone";

    /// <summary>The new email address (<c>POST /api/flows/{id}/email</c>).</summary>
    public const string Email = "email";

    /// <summary>Security answers (<c>POST /api/flows/{id}/answers</c>).</summary>
    public const string Answers = "answers";

    /// <summary>The server is finishing an effect (e.g. creating the account); read the flow again.</summary>
    public const string Wait = "wait";
}
