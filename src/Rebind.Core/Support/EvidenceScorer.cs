using System.Globalization;
using System.Net;
using System.Text;
using Rebind.Core.Messaging;

namespace Rebind.Core.Support;

/// <summary>
/// Scores a support case: each claim against the records, with a verdict and a reason, and the points it earns of
/// its weight (a match earns all, a partial match half, anything else none). Pure: the integrator reads the records
/// and checks earlier passwords (PBKDF2) when the case is filed. A case whose account does not exist has nothing on
/// record and scores 0. Weights (of 100): the old phone 15, the email 15, earlier passwords 20, the sign-up date 10,
/// sign-in places 10, devices 10, contacts 10, nickname 5, team 5.
/// </summary>
public static class EvidenceScorer
{
    public static readonly IReadOnlyDictionary<string, int> Weights = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [EvidenceItems.Phone] = 15,
        [EvidenceItems.Email] = 15,
        [EvidenceItems.Passwords] = 20,
        [EvidenceItems.SignUpDate] = 10,
        [EvidenceItems.Places] = 10,
        [EvidenceItems.Devices] = 10,
        [EvidenceItems.Contacts] = 10,
        [EvidenceItems.Nickname] = 5,
        [EvidenceItems.Team] = 5,
    };

    /// <summary>A sign-up date within this many days of the account's creation matches; within <see cref="SignUpPartialDays"/>, partly.</summary>
    public const int SignUpMatchDays = 31;

    public const int SignUpPartialDays = 183;

    public static EvidenceScore Score(SupportEvidence evidence, IReadOnlyList<PasswordVerdict> passwords, SupportRecords? records)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(passwords);
        var items = new List<EvidenceItem>
        {
            Contact(EvidenceItems.Phone, evidence.Phone, records?.Phone, Mask.Phone),
            Contact(EvidenceItems.Email, evidence.Email, records?.Email, Mask.Email),
            Passwords(passwords, records),
            SignUp(evidence.SignUpDate, records),
            Places(evidence.Places, records),
            Devices(evidence.Devices, records),
            Contacts(evidence.Contacts, records),
            Text(EvidenceItems.Nickname, evidence.Nickname, records?.Nickname, records is not null),
            Text(EvidenceItems.Team, evidence.Team, records?.Team, records is not null),
        };
        return new EvidenceScore(items.Sum(i => i.Points), items);
    }

    private static EvidenceItem Item(string item, string? claim, string? record, string verdict, string reason)
    {
        var weight = Weights[item];
        var points = verdict switch
        {
            EvidenceVerdicts.Match => weight,
            EvidenceVerdicts.Partial => weight / 2,
            _ => 0,
        };
        return new EvidenceItem(item, claim, record, verdict, points, weight, reason);
    }

    private static EvidenceItem Contact(string item, string? claim, string? record, Func<string?, string?> mask)
    {
        if (string.IsNullOrEmpty(claim))
        {
            return Item(item, null, mask(record), EvidenceVerdicts.NotGiven, "Not given.");
        }
        if (record is null)
        {
            return Item(item, claim, null, EvidenceVerdicts.NotOnRecord, "The account has none bound (or there is no such account).");
        }
        return string.Equals(claim, record, StringComparison.OrdinalIgnoreCase)
            ? Item(item, claim, mask(record), EvidenceVerdicts.Match, "The same as the one bound to the account.")
            : Item(item, claim, mask(record), EvidenceVerdicts.NoMatch, "Not the one bound to the account.");
    }

    private static EvidenceItem Passwords(IReadOnlyList<PasswordVerdict> verdicts, SupportRecords? records)
    {
        var claim = verdicts.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{verdicts.Count} given");
        if (verdicts.Count == 0)
        {
            return Item(EvidenceItems.Passwords, null, null, EvidenceVerdicts.NotGiven, "None given.");
        }
        if (records is null)
        {
            return Item(EvidenceItems.Passwords, claim, null, EvidenceVerdicts.NotOnRecord, "No account to compare with.");
        }
        var current = verdicts.Count(v => v == PasswordVerdict.Current);
        var previous = verdicts.Count(v => v == PasswordVerdict.Previous);
        var record = "the current and up to 4 earlier passwords (compared when filed; never shown)";
        if (previous > 0)
        {
            return Item(EvidenceItems.Passwords, claim, record, EvidenceVerdicts.Match,
                string.Create(CultureInfo.InvariantCulture, $"{previous} matched an earlier password{(current > 0 ? ", and one the current password" : "")}."));
        }
        if (current > 0)
        {
            // Knowing the current password but not getting in is odd but possible (a lost second factor): half.
            return Item(EvidenceItems.Passwords, claim, record, EvidenceVerdicts.Partial, "One matched the current password, none an earlier one.");
        }
        return Item(EvidenceItems.Passwords, claim, record, EvidenceVerdicts.NoMatch, "None matched a remembered password.");
    }

    private static EvidenceItem SignUp(DateOnly? claim, SupportRecords? records)
    {
        var claimed = claim?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (claim is null)
        {
            return Item(EvidenceItems.SignUpDate, null, records?.CreatedAt.ToString("yyyy-MM", CultureInfo.InvariantCulture), EvidenceVerdicts.NotGiven, "Not given.");
        }
        if (records is null)
        {
            return Item(EvidenceItems.SignUpDate, claimed, null, EvidenceVerdicts.NotOnRecord, "No account to compare with.");
        }
        var created = DateOnly.FromDateTime(records.CreatedAt.UtcDateTime);
        var days = Math.Abs(created.DayNumber - claim.Value.DayNumber);
        var record = created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reason = string.Create(CultureInfo.InvariantCulture, $"{days} days from the account's creation");
        return days <= SignUpMatchDays
            ? Item(EvidenceItems.SignUpDate, claimed, record, EvidenceVerdicts.Match, reason + $" (within {SignUpMatchDays}).")
            : days <= SignUpPartialDays
                ? Item(EvidenceItems.SignUpDate, claimed, record, EvidenceVerdicts.Partial, reason + $" (within {SignUpPartialDays}).")
                : Item(EvidenceItems.SignUpDate, claimed, record, EvidenceVerdicts.NoMatch, reason + ".");
    }

    private static EvidenceItem Places(IReadOnlyList<string>? claims, SupportRecords? records)
    {
        var ips = records?.SignIns.Select(s => s.IpAddress).OfType<string>().Distinct(StringComparer.Ordinal).ToList() ?? [];
        var countries = records?.SignIns.Select(s => s.Country).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        var record = ips.Count == 0 && countries.Count == 0 ? null : string.Join(", ", ips.Select(Prefix).Distinct().Concat(countries).Take(8));
        return Fraction(EvidenceItems.Places, claims, record, claim => ips.Any(ip => SamePlace(claim, ip)) || countries.Contains(claim.Trim(), StringComparer.OrdinalIgnoreCase),
            "sign-in places (IP prefixes /24 or /48, countries where known)");
    }

    private static EvidenceItem Devices(IReadOnlyList<string>? claims, SupportRecords? records)
    {
        var names = (records?.SignIns.Select(s => s.DeviceName) ?? []).Concat(records?.KnownDeviceNames ?? []).OfType<string>()
            .Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var agents = records?.SignIns.Select(s => s.UserAgent).OfType<string>().Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var record = names.Count == 0 && agents.Count == 0 ? null : string.Join(", ", names.Concat(agents.Select(Agent)).Distinct(StringComparer.OrdinalIgnoreCase).Take(8));
        return Fraction(EvidenceItems.Devices, claims, record,
            claim => names.Any(n => Normalize(n) == Normalize(claim)) || agents.Any(a => Normalize(claim).Length >= 3 && Normalize(a).Contains(Normalize(claim), StringComparison.Ordinal)),
            "sign-in devices (names, user agents)");
    }

    private static EvidenceItem Contacts(IReadOnlyList<string>? claims, SupportRecords? records)
    {
        var known = records?.Contacts;
        var record = known is { Count: > 0 } ? string.Join(", ", known.Take(8)) : null;
        return Fraction(EvidenceItems.Contacts, claims, record, claim => known?.Any(c => Normalize(c) == Normalize(claim)) == true, "frequent contacts");
    }

    /// <summary>All claims matched: match; some: partial; none: no match; nothing in the records: not on record.</summary>
    private static EvidenceItem Fraction(string item, IReadOnlyList<string>? claims, string? record, Func<string, bool> matches, string what)
    {
        var given = claims?.Where(c => !string.IsNullOrWhiteSpace(c)).ToList() ?? [];
        var claim = given.Count == 0 ? null : string.Join(", ", given);
        if (given.Count == 0)
        {
            return Item(item, null, record, EvidenceVerdicts.NotGiven, "Not given.");
        }
        if (record is null)
        {
            return Item(item, claim, null, EvidenceVerdicts.NotOnRecord, $"The records hold no {what}.");
        }
        var matched = given.Count(matches);
        var reason = string.Create(CultureInfo.InvariantCulture, $"{matched} of {given.Count} match the records' {what}.");
        return matched == given.Count
            ? Item(item, claim, record, EvidenceVerdicts.Match, reason)
            : matched > 0
                ? Item(item, claim, record, EvidenceVerdicts.Partial, reason)
                : Item(item, claim, record, EvidenceVerdicts.NoMatch, reason);
    }

    private static EvidenceItem Text(string item, string? claim, string? record, bool hasAccount)
    {
        if (string.IsNullOrWhiteSpace(claim))
        {
            return Item(item, null, record, EvidenceVerdicts.NotGiven, "Not given.");
        }
        if (!hasAccount || string.IsNullOrWhiteSpace(record))
        {
            return Item(item, claim, null, EvidenceVerdicts.NotOnRecord, "The account has none set (or there is no such account).");
        }
        return Normalize(claim) == Normalize(record)
            ? Item(item, claim, record, EvidenceVerdicts.Match, "The same (ignoring case, width and spacing).")
            : Item(item, claim, record, EvidenceVerdicts.NoMatch, "Different.");
    }

    /// <summary>The same place: the same /24 (IPv4) or /48 (IPv6) as a recorded address, or a prefix of it as typed (<c>203.0.113</c>).</summary>
    public static bool SamePlace(string claim, string recordedIp)
    {
        var typed = claim.Trim().TrimEnd('*', '.', ':');
        if (IPAddress.TryParse(recordedIp, out var recorded) && recorded.IsIPv4MappedToIPv6)
        {
            recordedIp = recorded.MapToIPv4().ToString();
        }
        // "198.51.100" parses as an address (198.51.0.100): only a full dotted quad, or IPv6, is taken as one.
        var full = claim.Trim().Count(c => c == '.') == 3 || claim.Contains(':', StringComparison.Ordinal);
        if (full && IPAddress.TryParse(claim.Trim(), out var ip) && recorded is not null)
        {
            return Prefix(ip) == Prefix(recorded);
        }
        return typed.Length >= 3 && (typed.Contains('.', StringComparison.Ordinal) || typed.Contains(':', StringComparison.Ordinal))
            && recordedIp.StartsWith(typed + (typed.Contains(':', StringComparison.Ordinal) ? ":" : "."), StringComparison.OrdinalIgnoreCase);
    }

    private static string Prefix(string ip) => IPAddress.TryParse(ip, out var parsed) ? Prefix(parsed) : ip;

    private static string Prefix(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        var bytes = ip.GetAddressBytes();
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24")
            : new IPAddress([.. bytes[..6], .. new byte[10]]) + "/48";
    }

    private static string Agent(string userAgent) => userAgent.Length <= 40 ? userAgent : userAgent[..40] + "…";

    /// <summary>NFKC, lower case, whitespace collapsed: a nickname typed on another keyboard is the same.</summary>
    public static string Normalize(string value)
    {
        var folded = value.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Trim();
        return string.Join(' ', folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
