namespace Rebind.Core.Security;

/// <summary>
/// Makes verification codes where a test pins them. Production derives each code from the key ring per (flow, step,
/// send) instead (<c>ChallengeService</c>), so a flow's orchestration can rebuild its message without holding the code.
/// </summary>
public interface ICodeGenerator
{
    /// <summary>A code of exactly <paramref name="digits"/> decimal digits, leading zeros kept.</summary>
    string Generate(int digits);
}
