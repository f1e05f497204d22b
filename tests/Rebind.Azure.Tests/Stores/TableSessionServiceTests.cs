using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Core.Accounts;
using Rebind.Core.Sessions;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Stores;

public sealed class TableSessionServiceTests
{
    private static readonly SessionClient Client = new("Pixel 9", "RebindApp/1.0", "203.0.113.7");

    private readonly ManualTimeProvider time = new();
    private readonly RequestCounterPolicy counter = new();
    private readonly RebindTables tables;
    private readonly TableAccountStore accounts;
    private readonly TableSessionService sessions;

    public TableSessionServiceTests()
    {
        tables = StoreFixture.NewTables(counter);
        accounts = new TableAccountStore(tables);
        sessions = new TableSessionService(tables, accounts, SessionPolicy.Default, time);
    }

    private async Task<Account> NewAccountAsync()
    {
        var account = new Account
        {
            Id = Guid.NewGuid().ToString("N"),
            PasswordHash = "pbkdf2-sha256$600000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            SecurityStamp = Account.NewSecurityStamp(),
            CreatedAt = time.GetUtcNow(),
        };
        await accounts.CreateAsync(account);
        return account;
    }

    [Fact]
    public async Task AuthenticateAsync_FreshToken_ReturnsSessionWithClient()
    {
        var account = await NewAccountAsync();
        var created = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);

        var session = (await sessions.AuthenticateAsync(created.Token))?.Session;

        Assert.NotNull(session);
        Assert.Equal((account.Id, created.Session.Id), (session.AccountId, session.Id));
        Assert.Equal(("Pixel 9", "RebindApp/1.0", "203.0.113.7"), (session.DeviceName, session.UserAgent, session.IpAddress));
        Assert.Equal(time.GetUtcNow().AddDays(90), session.ExpiresAt);
    }

    [Fact]
    public async Task AuthenticateAsync_RequestCounts_ThreeReadsAndOneWritePerMinute()
    {
        var account = await NewAccountAsync();
        var created = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);
        await sessions.AuthenticateAsync(created.Token); // tables exist from here on

        counter.Reset();
        await sessions.AuthenticateAsync(created.Token);
        var withinMinute = counter.Count;
        time.Advance(TimeSpan.FromMinutes(2));
        counter.Reset();
        await sessions.AuthenticateAsync(created.Token);
        var afterMinute = counter.Count;
        counter.Reset();
        await sessions.AuthenticateAsync("not-a-token");
        var garbage = counter.Count;

        Assert.Equal(3, withinMinute);
        Assert.Equal(4, afterMinute);
        Assert.Equal(0, garbage);
    }

    [Fact]
    public async Task AuthenticateAsync_StoredTokenIsOnlyAHash()
    {
        var account = await NewAccountAsync();
        var created = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);

        var table = await tables.GetAsync(RebindTables.Accounts);
        var row = await table.GetEntityAsync<TableEntity>(account.Id, TableSessionService.RowPrefix + created.Session.Id);

        Assert.DoesNotContain(row.Value.Select(p => p.Value), v => v is string s && s.Contains(created.Token, StringComparison.Ordinal));
        Assert.Equal(SessionTokens.Hash(created.Token), row.Value.GetString("TokenHash"));
    }

    [Fact]
    public async Task AuthenticateAsync_IdleOrAbsoluteExpired_Null()
    {
        var account = await NewAccountAsync();
        var idle = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);
        var busy = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);

        for (var i = 0; i < 4; i++) // used every 20 days up to day 80
        {
            time.Advance(TimeSpan.FromDays(20));
            Assert.NotNull(await sessions.AuthenticateAsync(busy.Token));
        }

        Assert.Null(await sessions.AuthenticateAsync(idle.Token));
        time.Advance(TimeSpan.FromDays(11)); // day 91: used 11 days ago, but past the absolute 90 days
        Assert.Null(await sessions.AuthenticateAsync(busy.Token));
    }

    [Fact]
    public async Task RevokeAllAsync_MoreThanOneBatch_EndsAllButKept()
    {
        var account = await NewAccountAsync();
        var created = new List<NewSession>();
        for (var i = 0; i < 130; i += 10)
        {
            created.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sessions.CreateAsync(account.Id, account.SecurityStamp, Client))));
        }

        var keep = created[17];
        var ended = await sessions.RevokeAllAsync(account.Id, keep.Session.Id);

        Assert.Equal(129, ended);
        var left = await sessions.ListAsync(account.Id);
        Assert.Equal([keep.Session.Id], left.Select(s => s.Id));
        Assert.Null(await sessions.AuthenticateAsync(created[0].Token));
        Assert.NotNull(await sessions.AuthenticateAsync(keep.Token));
    }

    [Fact]
    public async Task RotateSecurityStampAsync_KeepsOnlyCallersSession()
    {
        var account = await NewAccountAsync();
        var mine = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);
        var other = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);

        var stamp = await sessions.RotateSecurityStampAsync(account.Id, mine.Session.Id);

        Assert.Equal(stamp, (await accounts.GetAsync(account.Id))!.Value.SecurityStamp);
        Assert.NotEqual(account.SecurityStamp, stamp);
        Assert.NotNull(await sessions.AuthenticateAsync(mine.Token));
        Assert.Null(await sessions.AuthenticateAsync(other.Token));
    }

    [Fact]
    public async Task AuthenticateAsync_StampChangedElsewhere_AllDeadAtOnce()
    {
        var account = await NewAccountAsync();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => sessions.CreateAsync(account.Id, account.SecurityStamp, Client)));
        var stored = (await accounts.GetAsync(account.Id))!;

        await accounts.TryReplaceAsync(stored.Value with { SecurityStamp = Account.NewSecurityStamp() }, stored.Version);

        foreach (var t in tokens)
        {
            Assert.Null(await sessions.AuthenticateAsync(t.Token));
        }

        Assert.Empty(await sessions.ListAsync(account.Id));
    }

    [Fact]
    public async Task RevokeAsync_OtherAccountsSession_FalseAndUntouched()
    {
        var alice = await NewAccountAsync();
        var bob = await NewAccountAsync();
        var bobs = await sessions.CreateAsync(bob.Id, bob.SecurityStamp, Client);

        Assert.False(await sessions.RevokeAsync(alice.Id, bobs.Session.Id));
        Assert.False(await sessions.RevokeAsync(alice.Id, "../account"));
        Assert.NotNull(await sessions.AuthenticateAsync(bobs.Token));
        Assert.True(await sessions.RevokeAsync(bob.Id, bobs.Session.Id));
        Assert.Null(await sessions.AuthenticateAsync(bobs.Token));
    }

    [Fact]
    public async Task PurgeExpiredAsync_ReadsOnlyDueBuckets_RemovesAllRows()
    {
        var account = await NewAccountAsync();
        var early = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);
        time.Advance(TimeSpan.FromDays(10));
        var late = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);

        Assert.Equal(0, await sessions.PurgeExpiredAsync(100));
        time.Advance(TimeSpan.FromDays(81)); // early is 91 days old, late 81
        var purged = await sessions.PurgeExpiredAsync(100);

        Assert.Equal(1, purged);
        var accountsTable = await tables.GetAsync(RebindTables.Accounts);
        var tokensTable = await tables.GetAsync(TableSessionService.TokensTable);
        Assert.False((await accountsTable.GetEntityIfExistsAsync<TableEntity>(account.Id, TableSessionService.RowPrefix + early.Session.Id)).HasValue);
        Assert.False((await tokensTable.GetEntityIfExistsAsync<TableEntity>(SessionTokens.Hash(early.Token)!, "session")).HasValue);
        Assert.True((await accountsTable.GetEntityIfExistsAsync<TableEntity>(account.Id, TableSessionService.RowPrefix + late.Session.Id)).HasValue);
        Assert.Equal(0, await sessions.PurgeExpiredAsync(100));
    }

    [Fact]
    public async Task MarkReauthenticatedAsync_MovesAuthTime_NotForEndedSession()
    {
        var account = await NewAccountAsync();
        var created = await sessions.CreateAsync(account.Id, account.SecurityStamp, Client);
        time.Advance(TimeSpan.FromMinutes(20));

        Assert.True(await sessions.MarkReauthenticatedAsync(account.Id, created.Session.Id));
        Assert.Equal(time.GetUtcNow(), (await sessions.AuthenticateAsync(created.Token))!.Session.AuthenticatedAt);

        await sessions.RevokeAsync(account.Id, created.Session.Id);
        Assert.False(await sessions.MarkReauthenticatedAsync(account.Id, created.Session.Id));
        Assert.Empty(await sessions.ListAsync(account.Id));
    }
}
