using System.Security.Cryptography;
using System.Text;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Functions.Recovery;

/// <summary>
/// Plausible security questions for identifiers without an account (or without questions): picked by an HMAC of
/// the identifier under a server secret, so asking twice shows the same decoys and nobody can compute them. The
/// count (1–3) and ids (12 hex digits) look like real ones; numbers with +86 get Chinese questions.
/// </summary>
public sealed class DecoyQuestions
{
    private static readonly string[] English =
    [
        "What was the name of your first pet?",
        "What city were you born in?",
        "What was the name of your primary school?",
        "What is your mother's maiden name?",
        "What was the make of your first car?",
        "What is the name of the street you grew up on?",
        "What was your childhood nickname?",
        "Who was your favourite teacher?",
        "What is your favourite book?",
        "In what city did your parents meet?",
    ];

    private static readonly string[] Chinese =
    [
        "您的出生地是哪里？",
        "您小学的校名是什么？",
        "您母亲的姓名是什么？",
        "您第一只宠物的名字是什么？",
        "您最喜欢的老师姓什么？",
        "您童年的小名是什么？",
        "您父亲的生日是哪天？",
        "您高中班主任的名字是什么？",
        "您最喜欢的书是哪本？",
        "您配偶的生日是哪天？",
    ];

    private readonly Func<string, byte[]> prf;

    public DecoyQuestions(RecoveryOptions options, CodeKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        if (!string.IsNullOrWhiteSpace(options.DecoyKey))
        {
            var key = Convert.FromBase64String(options.DecoyKey);
            if (key.Length < CodeKeyRing.MinKeyBytes)
            {
                throw new InvalidOperationException($"Recovery:DecoyKey must be at least {CodeKeyRing.MinKeyBytes} bytes.");
            }

            prf = value => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value));
        }
        else
        {
            // The code key ring HMACs (flow id, step, destination, code): a keyed PRF under the current code key.
            prf = value => Convert.FromBase64String(keys.Hash(keys.CurrentKeyId, "decoy", "questions", value, "000000")!);
        }
    }

    public IReadOnlyList<ShownQuestion> For(ContactIdentifier identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var bytes = prf(identifier.Value);
        var pool = identifier.Channel == Channel.Sms && identifier.Value.StartsWith("+86", StringComparison.Ordinal) ? Chinese : English;
        var count = 1 + (bytes[0] % 3);
        var indexes = new List<int>(count);
        for (var i = 1; i < 14 && indexes.Count < count; i++)
        {
            if (!indexes.Contains(bytes[i] % pool.Length))
            {
                indexes.Add(bytes[i] % pool.Length);
            }
        }

        for (var next = bytes[1] % pool.Length; indexes.Count < count; next = (next + 1) % pool.Length)
        {
            if (!indexes.Contains(next))
            {
                indexes.Add(next);
            }
        }

        // Bytes 14–31 give each decoy its 6-byte id, like the ids real questions get.
        var picked = indexes.Select((index, n) => new ShownQuestion(Convert.ToHexStringLower(bytes, 14 + (n * 6), 6), pool[index])).ToList();
        return picked;
    }
}
