namespace Rebind.Core.Flows;

/// <summary>Terminal states shared by every flow kind. Kind-specific states live beside each kind.</summary>
public static class FlowStates
{
    public const string Completed = "completed";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";

    public static bool IsTerminal(string state) =>
        state is Completed or Expired or Cancelled or Failed;
}
