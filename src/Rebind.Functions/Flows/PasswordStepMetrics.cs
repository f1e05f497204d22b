using System.Diagnostics.Metrics;

namespace Rebind.Functions.Flows;

/// <summary>The PBKDF2 runs spent on flows' password steps (metric <c>rebind.flows.password_hashes</c>): what a flood of
/// parallel password requests costs in CPU.</summary>
public sealed class PasswordStepMetrics(IMeterFactory meters)
{
    public const string MeterName = "Rebind.Flows";
    public const string PasswordHashes = "rebind.flows.password_hashes";

    private readonly Counter<long> hashes = meters.Create(MeterName).CreateCounter<long>(PasswordHashes, "{hash}");

    public void Hashed() => hashes.Add(1);
}
