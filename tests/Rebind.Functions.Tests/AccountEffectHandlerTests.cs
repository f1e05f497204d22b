using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Sessions;
using Rebind.Functions.Flows;
using Rebind.Functions.Flows.Effects;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>The account-change effect handlers against Azurite: repeats, lost claims, changed accounts.</summary>
public sealed class AccountEffectHandlerTests
{
    [Fact]
    public async Task ChangePhone_RunTwice_AppliesOnceAndKeepsOnlyTheCallersSession()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, newPhone) = (NewPhone(), NewPhone());
        var account = await SeedAsync(app, phone: oldPhone);
        var kept = await NewSessionAsync(app, account);
        var other = await NewSessionAsync(app, account);
        var effect = new ChangePhone(account.Id, oldPhone, newPhone, kept.Session.Id, FlowIds.New());

        var first = await HandleAsync(app, effect);
        var second = await HandleAsync(app, effect);

        Assert.IsType<ChangeApplied>(first);
        Assert.IsType<ChangeApplied>(second);
        var after = (await Store(app).GetAsync(account.Id))!.Value;
        Assert.Equal(newPhone, after.Phone);
        Assert.Equal(account.Profile, after.Profile);
        Assert.Equal(account.PasswordHash, after.PasswordHash);
        Assert.NotEqual(account.SecurityStamp, after.SecurityStamp);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, newPhone));
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, oldPhone));
        Assert.NotNull(await Sessions(app).AuthenticateAsync(kept.Token));
        Assert.Null(await Sessions(app).AuthenticateAsync(other.Token));
        Assert.Single(await HistoryAsync(app, account.Id, ActivityTypes.PhoneChanged));
    }

    [Fact]
    public async Task ChangePhone_CrashAfterClaim_RepeatFinishes()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, newPhone) = (NewPhone(), NewPhone());
        var account = await SeedAsync(app, phone: oldPhone);
        // What a crash right after the claim leaves behind: our index row, the account untouched.
        await Store(app).ClaimAsync(IdentifierKind.Phone, newPhone, account.Id);

        var outcome = await HandleAsync(app, new ChangePhone(account.Id, oldPhone, newPhone, null, FlowIds.New()));

        Assert.IsType<ChangeApplied>(outcome);
        Assert.Equal(newPhone, (await Store(app).GetAsync(account.Id))!.Value.Phone);
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, oldPhone));
    }

    [Fact]
    public async Task ChangePhone_AccountNoLongerHasOldPhone_ReturnsAccountChangedAndReleasesClaim()
    {
        await using var app = await TestApp.StartAsync();
        var (current, stale, newPhone) = (NewPhone(), NewPhone(), NewPhone());
        var account = await SeedAsync(app, phone: current);

        var outcome = await HandleAsync(app, new ChangePhone(account.Id, stale, newPhone, null, FlowIds.New()));

        Assert.IsType<AccountChanged>(outcome);
        Assert.Equal(current, (await Store(app).GetAsync(account.Id))!.Value.Phone);
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, newPhone));
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, current));
        Assert.Empty(await HistoryAsync(app, account.Id, ActivityTypes.PhoneChanged));
    }

    [Fact]
    public async Task BindPhone_HeldByOtherAccount_ReturnsClaimFailedAndChangesNothing()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var holder = await SeedAsync(app, phone: phone);
        var account = await SeedAsync(app, email: NewEmail());

        var outcome = await HandleAsync(app, new BindPhone(account.Id, phone, FlowIds.New()));

        Assert.IsType<ClaimFailed>(outcome);
        Assert.Equal(holder.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, phone));
        Assert.Null((await Store(app).GetAsync(account.Id))!.Value.Phone);
    }

    [Fact]
    public async Task BindPhone_RunTwice_BindsOnceWithoutEndingSessions()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, email: NewEmail());
        var session = await NewSessionAsync(app, account);
        var effect = new BindPhone(account.Id, phone, FlowIds.New());

        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));
        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));

        Assert.Equal(phone, (await Store(app).GetAsync(account.Id))!.Value.Phone);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, phone));
        Assert.NotNull(await Sessions(app).AuthenticateAsync(session.Token));
        Assert.Single(await HistoryAsync(app, account.Id, ActivityTypes.PhoneBound));
    }

    [Fact]
    public async Task BindPhone_AccountGotAnotherPhone_ReturnsAccountChangedAndReleasesClaim()
    {
        await using var app = await TestApp.StartAsync();
        var (bound, wanted) = (NewPhone(), NewPhone());
        var account = await SeedAsync(app, phone: bound);

        var outcome = await HandleAsync(app, new BindPhone(account.Id, wanted, FlowIds.New()));

        Assert.IsType<AccountChanged>(outcome);
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, wanted));
        Assert.Equal(bound, (await Store(app).GetAsync(account.Id))!.Value.Phone);
    }

    [Fact]
    public async Task BindEmail_RunTwice_BindsOnce_AndHeldByOtherFails()
    {
        await using var app = await TestApp.StartAsync();
        var email = NewEmail();
        var account = await SeedAsync(app, phone: NewPhone());
        var other = await SeedAsync(app, phone: NewPhone());
        var effect = new BindEmail(account.Id, email, FlowIds.New());

        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));
        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));
        var lost = await HandleAsync(app, new BindEmail(other.Id, email, FlowIds.New()));

        Assert.IsType<ClaimFailed>(lost);
        Assert.Equal(email, (await Store(app).GetAsync(account.Id))!.Value.Email);
        Assert.Null((await Store(app).GetAsync(other.Id))!.Value.Email);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Email, email));
        Assert.Single(await HistoryAsync(app, account.Id, ActivityTypes.EmailBound));
    }

    [Fact]
    public async Task ChangeEmail_RunTwice_MovesIndexAndRecordsOnce()
    {
        await using var app = await TestApp.StartAsync();
        var (oldEmail, newEmail) = (NewEmail(), NewEmail());
        var account = await SeedAsync(app, phone: NewPhone(), email: oldEmail);
        var kept = await NewSessionAsync(app, account);
        var effect = new ChangeEmail(account.Id, oldEmail, newEmail, kept.Session.Id, FlowIds.New());

        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));
        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));

        Assert.Equal(newEmail, (await Store(app).GetAsync(account.Id))!.Value.Email);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Email, newEmail));
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Email, oldEmail));
        Assert.NotNull(await Sessions(app).AuthenticateAsync(kept.Token));
        Assert.Single(await HistoryAsync(app, account.Id, ActivityTypes.EmailChanged));
    }

    [Fact]
    public async Task UnbindPhone_RunTwice_ClearsPhoneAndReleasesRow()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone, email: NewEmail());
        var kept = await NewSessionAsync(app, account);
        var other = await NewSessionAsync(app, account);
        var effect = new UnbindPhone(account.Id, phone, kept.Session.Id, FlowIds.New());

        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));
        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));

        Assert.Null((await Store(app).GetAsync(account.Id))!.Value.Phone);
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, phone));
        Assert.NotNull(await Sessions(app).AuthenticateAsync(kept.Token));
        Assert.Null(await Sessions(app).AuthenticateAsync(other.Token));
        Assert.Single(await HistoryAsync(app, account.Id, ActivityTypes.PhoneUnbound));
    }

    [Fact]
    public async Task UnbindPhone_NoEmailLeft_ReturnsAccountChangedAndKeepsPhone()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);

        var outcome = await HandleAsync(app, new UnbindPhone(account.Id, phone, null, FlowIds.New()));

        Assert.IsType<AccountChanged>(outcome);
        Assert.Equal(phone, (await Store(app).GetAsync(account.Id))!.Value.Phone);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, phone));
    }

    [Fact]
    public async Task ResetPassword_RunTwice_EndsAllSessionsAndClearsFailures()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, phone: NewPhone(), change: a => a with { ConsecutiveFailedSignIns = 7, LastFailedSignInAt = a.CreatedAt });
        var session = await NewSessionAsync(app, account);
        var hash = "new-hash-" + Guid.NewGuid().ToString("N"); // the handler stores what the flow hashed
        var effect = new ResetPassword(account.Id, hash, FlowIds.New());

        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));
        var stamp = (await Store(app).GetAsync(account.Id))!.Value.SecurityStamp;
        Assert.IsType<ChangeApplied>(await HandleAsync(app, effect));

        var after = (await Store(app).GetAsync(account.Id))!.Value;
        Assert.Equal(hash, after.PasswordHash);
        Assert.Equal(0, after.ConsecutiveFailedSignIns);
        Assert.Null(after.LastFailedSignInAt);
        Assert.NotEqual(account.SecurityStamp, after.SecurityStamp);
        Assert.Equal(stamp, after.SecurityStamp);
        Assert.Null(await Sessions(app).AuthenticateAsync(session.Token));
        Assert.Single(await HistoryAsync(app, account.Id, ActivityTypes.PasswordReset));
    }

    [Fact]
    public async Task ResetPassword_AccountGone_ReturnsAccountChanged()
    {
        await using var app = await TestApp.StartAsync();

        var outcome = await HandleAsync(app, new ResetPassword(Guid.NewGuid().ToString("N"), "x", FlowIds.New()));

        Assert.IsType<AccountChanged>(outcome);
    }

    private static IAccountStore Store(TestApp app) => app.Services.GetRequiredService<IAccountStore>();

    private static ISessionService Sessions(TestApp app) => app.Services.GetRequiredService<ISessionService>();

    private static Task<NewSession> NewSessionAsync(TestApp app, Account account) =>
        Sessions(app).CreateAsync(account.Id, account.SecurityStamp, new SessionClient("Test", null, null));

    private static async Task<List<ActivityEvent>> HistoryAsync(TestApp app, string accountId, string type) =>
        (await app.Services.GetRequiredService<IActivityLog>().ListAsync(accountId, 100)).Items.Where(e => e.Type == type).ToList();

    private static Task<FlowInput> HandleAsync(TestApp app, FlowEffect effect)
    {
        var handler = app.Services.GetServices<IFlowEffectHandler>().Single(h => h.EffectType == effect.GetType());
        // The handlers work from the effect alone; the flow is what FlowInputs passes beside it.
        var flow = new Flow { Id = FlowIds.New(), Kind = "test", State = "applying_change", CreatedAt = app.Time.GetUtcNow(), Deadline = app.Time.GetUtcNow().AddMinutes(30), Culture = "en" };
        return handler.HandleAsync(effect, flow, CancellationToken.None);
    }
}
