using Rebind.Core.Support;

namespace Rebind.Core.Tests.Support;

public sealed class EvidenceScorerTests
{
    private static readonly DateTimeOffset Created = new(2024, 5, 10, 8, 0, 0, TimeSpan.Zero);

    private static SupportRecords Records() => new(
        "+8613812345678",
        "alice@example.com",
        Created,
        "Mimi",
        "Acme Ops",
        [new SignInRecord(Created.AddDays(300), "203.0.113.45", "Pixel 8", "Mozilla/5.0 (Linux; Android 14) Chrome/126"),
         new SignInRecord(Created.AddDays(301), "::ffff:198.51.100.7", "Work laptop", "Mozilla/5.0 (Windows NT 10.0) Edg/126", "CN")],
        ["Pixel 8"]);

    [Fact]
    public void Score_EverythingMatches_EarnsAllButContactsNotOnRecord()
    {
        var evidence = new SupportEvidence("+8613812345678", "ALICE@example.com", new DateOnly(2024, 5, 1),
            ["203.0.113.200", "198.51.100", "cn"], ["pixel 8", "Edg"], ["Bob"], "ＭＩＭＩ", " acme   ops ");

        var score = EvidenceScorer.Score(evidence, [PasswordVerdict.NoMatch, PasswordVerdict.Previous], Records());

        Assert.Equal(90, score.Score);
        Assert.All(score.Items.Where(i => i.Item != EvidenceItems.Contacts), i => Assert.Equal(EvidenceVerdicts.Match, i.Verdict));
        Assert.Equal(EvidenceVerdicts.NotOnRecord, score.Items.Single(i => i.Item == EvidenceItems.Contacts).Verdict);
        Assert.Equal(100, EvidenceScorer.Weights.Values.Sum());
    }

    [Fact]
    public void Score_UnknownAccount_NothingOnRecordScoresZero()
    {
        var evidence = new SupportEvidence("+8613812345678", "alice@example.com", new DateOnly(2024, 5, 1), ["203.0.113.1"], ["Pixel 8"], ["Bob"], "Mimi", "Acme");

        var score = EvidenceScorer.Score(evidence, [PasswordVerdict.NoMatch], records: null);

        Assert.Equal(0, score.Score);
        Assert.All(score.Items, i => Assert.Equal(EvidenceVerdicts.NotOnRecord, i.Verdict));
    }

    [Fact]
    public void Score_PartialAndWrongClaims_HalfOrNothing_WithReasons()
    {
        var evidence = new SupportEvidence("+8613900000000", null, new DateOnly(2024, 9, 1), ["203.0.113.9", "192.0.2.1"], ["iPhone"], null, "Momo", null);

        var score = EvidenceScorer.Score(evidence, [PasswordVerdict.Current], Records());

        var byItem = score.Items.ToDictionary(i => i.Item);
        Assert.Equal(EvidenceVerdicts.NoMatch, byItem[EvidenceItems.Phone].Verdict);
        Assert.Equal(EvidenceVerdicts.NotGiven, byItem[EvidenceItems.Email].Verdict);
        Assert.Equal(EvidenceVerdicts.Partial, byItem[EvidenceItems.SignUpDate].Verdict);
        Assert.Equal(EvidenceVerdicts.Partial, byItem[EvidenceItems.Places].Verdict);
        Assert.Equal("1 of 2 match the records' sign-in places (IP prefixes /24 or /48, countries where known).", byItem[EvidenceItems.Places].Reason);
        Assert.Equal(EvidenceVerdicts.NoMatch, byItem[EvidenceItems.Devices].Verdict);
        Assert.Equal(EvidenceVerdicts.Partial, byItem[EvidenceItems.Passwords].Verdict);
        Assert.Equal(EvidenceVerdicts.NoMatch, byItem[EvidenceItems.Nickname].Verdict);
        Assert.Equal(5 + 5 + 10, score.Score);
        // The record side of a contact is masked; nothing there is a secret.
        Assert.DoesNotContain("12345678", byItem[EvidenceItems.Phone].Record, StringComparison.Ordinal);
    }
}
