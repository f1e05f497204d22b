using System.Text.Json.Serialization;
using Rebind.Core.Messaging;

namespace Rebind.Core.Flows;

/// <summary>
/// Something the integrator carries out after persisting a step. Messages go to the outbox in the same
/// transaction as the flow; domain effects are idempotent and the flow records them so they can be resumed.
/// New flow kinds add derived records here (<c>BindPhone</c>, <c>UnbindPhone</c>, ...).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$effect")]
[JsonDerivedType(typeof(SendMessage), "send_message")]
[JsonDerivedType(typeof(CreateAccount), "create_account")]
[JsonDerivedType(typeof(BindPhone), "bind_phone")]
[JsonDerivedType(typeof(ChangePhone), "change_phone")]
[JsonDerivedType(typeof(UnbindPhone), "unbind_phone")]
[JsonDerivedType(typeof(BindEmail), "bind_email")]
[JsonDerivedType(typeof(ChangeEmail), "change_email")]
[JsonDerivedType(typeof(ResetPassword), "reset_password")]
[JsonDerivedType(typeof(SupportRecovery.ScoreSupportCase), "score_support_case")]
[JsonDerivedType(typeof(SupportRecovery.RecoverBySupport), "recover_by_support")]
[JsonDerivedType(typeof(TrustDevice), "trust_device")]
public abstract record FlowEffect;

/// <summary>Put <paramref name="Message"/> in the outbox (same transaction as the flow row).</summary>
public sealed record SendMessage(OutboundMessage Message) : FlowEffect;

/// <summary>
/// Create the account with <paramref name="Phone"/> bound. Idempotent by <paramref name="AccountId"/>: claim the
/// phone index row for this account id (conditional insert; an existing row with the same account id counts
/// as won), then write the account. Report back with <c>AccountCreated</c> or <c>ClaimFailed</c>.
/// </summary>
public sealed record CreateAccount(string AccountId, string Phone, string PasswordHash, string FlowId, DateTimeOffset CreatedAt) : FlowEffect
{
    /// <summary>The device the sign-up came from (hash of its id), known to the new account from the start; null if none was sent.</summary>
    public string? DeviceHash { get; init; }

    public string? DeviceName { get; init; }
}
