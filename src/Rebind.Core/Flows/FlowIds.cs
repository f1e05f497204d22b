using System.Buffers.Text;
using System.Security.Cryptography;

namespace Rebind.Core.Flows;

/// <summary>Unguessable ids: 24 bytes (192 bits) from the CSPRNG, base64url without padding (32 chars, safe as a Table key).</summary>
public static class FlowIds
{
    public const int ByteLength = 24;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ByteLength));
}
