using System.Globalization;
using System.Security.Cryptography;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows;

/// <summary>
/// A request's short claim on a flow step whose input is expensive to build, kept in the flow's data as
/// <c>{expiry ticks}:{claim id}</c>. It lasts <see cref="Lease"/>: long enough for one password hash on a loaded
/// machine, short enough that a crashed request holds the step only briefly.
/// </summary>
public sealed class StepClaim
{
    public const string DataKey = "step_claim";

    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private StepClaim(string value) => Value = value;

    private string Value { get; }

    public static StepClaim New(DateTimeOffset now) =>
        new($"{(now + Lease).UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}");

    /// <summary>Whether another request's claim on the flow is still running.</summary>
    public static bool HeldByAnother(Flow flow, DateTimeOffset now) =>
        flow.Data.TryGetValue(DataKey, out var held)
        && long.TryParse(held.AsSpan(0, Math.Max(0, held.IndexOf(':', StringComparison.Ordinal))), NumberStyles.None, CultureInfo.InvariantCulture, out var until)
        && now.UtcTicks < until;

    public static Flow Without(Flow flow) => flow.Data.ContainsKey(DataKey) ? flow.WithoutData(DataKey) : flow;

    public Flow On(Flow flow) => flow.WithData(DataKey, Value);

    public bool IsOn(Flow flow) => flow.Data.TryGetValue(DataKey, out var held) && held == Value;
}
