using System.Buffers.Text;
using System.Security.Cryptography;

namespace Rebind.Core.Flows;

/// <summary>Unguessable ids: 24 bytes (192 bits) from the CSPRNG, base64url without padding (32 chars, safe as a Table key).</summary>
public static class FlowIds
{
    public const int ByteLength = 24;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ByteLength));

    /// <summary>
    /// How logs and history name a flow: <c>flow:</c> + 16 hex chars of SHA-256 of its id. A sign-in-page flow's id
    /// is a bearer capability, so neither ever holds it; the reference still ties lines about one flow together.
    /// </summary>
    public static string Ref(string flowId) => "flow:" + Digest(flowId)[..16];

    /// <summary>
    /// The id of the flow's Durable orchestration: <c>flow-</c> + 32 hex chars (128 bits) of SHA-256 of its id. One per
    /// flow, unguessable, and not the bearer id itself: the Durable runtime names instances in its own logs. It starts
    /// with the same hex as <see cref="Ref"/>, so a log line about either finds the other.
    /// </summary>
    public static string InstanceId(string flowId) => "flow-" + Digest(flowId)[..32];

    private static string Digest(string flowId) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(flowId)));
}
