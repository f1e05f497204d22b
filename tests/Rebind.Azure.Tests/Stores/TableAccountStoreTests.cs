using Rebind.Azure.Stores;
using Rebind.Core.Accounts;

namespace Rebind.Azure.Tests.Stores;

public sealed class TableAccountStoreTests
{
    private static Account NewAccount(string? phone = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Phone = phone,
        PasswordHash = "pbkdf2-sha256$600000$c2FsdA==$aGFzaA==",
        SecurityStamp = Account.NewSecurityStamp(),
        CreatedAt = DateTimeOffset.UtcNow,
        Profile = new Dictionary<string, string> { ["nickname"] = "小明" },
    };

    [Fact]
    public async Task ClaimAsync_TwentyAccountsRace_ExactlyOneWins()
    {
        var store = new TableAccountStore(StoreFixture.NewTables());
        var accounts = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid().ToString("N")).ToArray();

        var outcomes = await Task.WhenAll(accounts.Select(a => store.ClaimAsync(IdentifierKind.Phone, "+8613812345678", a)));

        Assert.Equal(1, outcomes.Count(o => o == ClaimOutcome.Claimed));
        var winner = accounts[Array.IndexOf(outcomes, ClaimOutcome.Claimed)];
        Assert.Equal(winner, await store.FindAccountIdAsync(IdentifierKind.Phone, "+8613812345678"));
    }

    [Fact]
    public async Task ClaimAsync_SameAccountTwice_IsIdempotent()
    {
        var store = new TableAccountStore(StoreFixture.NewTables());

        var first = await store.ClaimAsync(IdentifierKind.Email, "a@example.com", "acc1");
        var second = await store.ClaimAsync(IdentifierKind.Email, "a@example.com", "acc1");
        var other = await store.ClaimAsync(IdentifierKind.Email, "a@example.com", "acc2");

        Assert.Equal(ClaimOutcome.Claimed, first);
        Assert.Equal(ClaimOutcome.Claimed, second);
        Assert.Equal(ClaimOutcome.TakenByOther, other);
    }

    [Fact]
    public async Task ReleaseAsync_ByNonHolder_LeavesClaim()
    {
        var store = new TableAccountStore(StoreFixture.NewTables());
        await store.ClaimAsync(IdentifierKind.Phone, "+14155552671", "holder");

        await store.ReleaseAsync(IdentifierKind.Phone, "+14155552671", "intruder");
        Assert.Equal("holder", await store.FindAccountIdAsync(IdentifierKind.Phone, "+14155552671"));

        await store.ReleaseAsync(IdentifierKind.Phone, "+14155552671", "holder");
        Assert.Null(await store.FindAccountIdAsync(IdentifierKind.Phone, "+14155552671"));
    }

    [Fact]
    public async Task CreateAsync_Twice_KeepsFirstAndRoundTrips()
    {
        var store = new TableAccountStore(StoreFixture.NewTables());
        var account = NewAccount("+8613812345678");

        await store.CreateAsync(account);
        var again = await store.CreateAsync(account with { Phone = "+8613900000000" });
        var read = await store.GetAsync(account.Id);

        Assert.Equal("+8613812345678", again.Value.Phone);
        Assert.NotNull(read);
        Assert.Equal(account.Phone, read.Value.Phone);
        Assert.Equal("小明", read.Value.Profile["nickname"]);
        Assert.Equal(account.SecurityStamp, read.Value.SecurityStamp);
        Assert.Null(read.Value.Email);
    }

    [Fact]
    public async Task TryReplaceAsync_StaleVersion_ReturnsNullAndKeepsWinner()
    {
        var store = new TableAccountStore(StoreFixture.NewTables());
        var created = await store.CreateAsync(NewAccount());

        var first = await store.TryReplaceAsync(created.Value with { Email = "first@example.com" }, created.Version);
        var second = await store.TryReplaceAsync(created.Value with { Email = "second@example.com" }, created.Version);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal("first@example.com", (await store.GetAsync(created.Value.Id))!.Value.Email);
    }

    [Theory]
    [InlineData("a#b@example.com", "a%23b@example.com")]
    [InlineData("x/y?z@example.com", "x%2Fy%3Fz@example.com")]
    public async Task ClaimAsync_EmailWithKeyForbiddenCharacters_RoundTripsAndStaysDistinct(string email, string lookalike)
    {
        var store = new TableAccountStore(StoreFixture.NewTables());

        var claimed = await store.ClaimAsync(IdentifierKind.Email, email, "acc1");
        var other = await store.ClaimAsync(IdentifierKind.Email, lookalike, "acc2");

        Assert.Equal(ClaimOutcome.Claimed, claimed);
        Assert.Equal(ClaimOutcome.Claimed, other);
        Assert.Equal("acc1", await store.FindAccountIdAsync(IdentifierKind.Email, email));
        Assert.Equal("acc2", await store.FindAccountIdAsync(IdentifierKind.Email, lookalike));
    }

    [Fact]
    public async Task GetAsync_Unknown_ReturnsNull()
    {
        var store = new TableAccountStore(StoreFixture.NewTables());

        Assert.Null(await store.GetAsync("nobody"));
        Assert.Null(await store.FindAccountIdAsync(IdentifierKind.Phone, "+8613800000000"));
    }
}
