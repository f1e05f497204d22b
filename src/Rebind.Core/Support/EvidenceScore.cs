namespace Rebind.Core.Support;

/// <summary>How a claim compares with the records.</summary>
public static class EvidenceVerdicts
{
    public const string Match = "match";
    public const string Partial = "partial";
    public const string NoMatch = "no_match";
    public const string NotOnRecord = "not_on_record";
    public const string NotGiven = "not_given";
}

/// <summary>The items a case is scored on, in the order the console shows them.</summary>
public static class EvidenceItems
{
    public const string Phone = "phone";
    public const string Email = "email";
    public const string SignUpDate = "sign_up_date";
    public const string Places = "places";
    public const string Devices = "devices";
    public const string Nickname = "nickname";
    public const string Team = "team";
    public const string Passwords = "earlier_passwords";
    public const string Contacts = "contacts";
}

/// <summary>
/// One claim beside the record: what the user said (<paramref name="Claim"/>), what the records hold
/// (<paramref name="Record"/>, masked where it is a contact; never a secret or a hash), the verdict, the points it
/// earned of its weight, and why.
/// </summary>
public sealed record EvidenceItem(string Item, string? Claim, string? Record, string Verdict, int Points, int Weight, string Reason);

/// <summary>The score of a case (0–100, the sum of the items' points) and every item.</summary>
public sealed record EvidenceScore(int Score, IReadOnlyList<EvidenceItem> Items);
