using System.Security.Cryptography;
using System.Text;
using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Functions.Recovery;

/// <summary>
/// Security questions for identifiers without an account (or without catalogue questions): exactly
/// <see cref="SecurityAnswers.QuestionsPerAccount"/> distinct questions of <see cref="SecurityQuestionCatalogue"/> —
/// the same list, count and rule (no duplicates) real accounts choose under — drawn uniformly by an HMAC of the
/// normalized identifier under a server key, so asking twice shows the same ones and nobody can compute them. Shown
/// like real ones: catalogue ids, catalogue order, in the caller's language.
/// </summary>
public sealed class DecoyQuestions
{
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

    /// <summary>The decoys' catalogue ids for <paramref name="identifier"/>, in catalogue order.</summary>
    public IReadOnlyList<string> For(ContactIdentifier identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var bytes = prf(identifier.Value);
        var ids = SecurityQuestionCatalogue.Ids;

        // A partial Fisher–Yates shuffle: every set of distinct questions equally likely. Each pick takes two bytes
        // (one in 65,536 modulo bias is far below anything an observer could measure).
        var pool = Enumerable.Range(0, ids.Count).ToArray();
        for (var i = 0; i < SecurityAnswers.QuestionsPerAccount; i++)
        {
            var j = i + (((bytes[2 * i] << 8) | bytes[(2 * i) + 1]) % (pool.Length - i));
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return pool[..SecurityAnswers.QuestionsPerAccount].Order().Select(i => ids[i]).ToList();
    }
}
