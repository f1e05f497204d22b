using System.Threading.Channels;
using Rebind.Core.Accounts;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Functions.SignIn;

/// <summary>
/// Tells an account's owner that clients other than the account's devices keep failing to sign in to it: a
/// <c>security_notice</c> to the bound phone and email, at most one per account per
/// <see cref="SignInOptions.NoticeIntervalHours"/>. The sign-in answer only queues it, so neither the answer nor its
/// timing depends on the sending (an unknown identifier has no one to tell, and must take as long).
/// </summary>
public sealed class SignInFailureNotices(
    IAccountStore accounts, IRateLimiter limiter, IMessageSender sender, SignInOptions options, ILogger<SignInFailureNotices> logger)
    : BackgroundService
{
    private const int Capacity = 1000;

    private readonly System.Threading.Channels.Channel<(string AccountId, string Culture, DateTimeOffset At)> queue =
        System.Threading.Channels.Channel.CreateBounded<(string, string, DateTimeOffset)>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private readonly RateLimitRule perAccount = new("sign_in_failure_notice", 1, TimeSpan.FromHours(options.NoticeIntervalHours));

    /// <summary>Queues the notice; never waits.</summary>
    public void Enqueue(string accountId, string culture, DateTimeOffset at)
    {
        if (!queue.Writer.TryWrite((accountId, culture, at)))
        {
            logger.LogWarning("Failed sign-in notice dropped: {Capacity} already waiting", Capacity);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (accountId, culture, at) in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SendAsync(accountId, culture, at, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Failed sign-in notice not sent");
            }
        }
    }

    private async Task SendAsync(string accountId, string culture, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await limiter.TryAcquireAsync(perAccount, accountId, at, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        if (await accounts.GetAsync(accountId, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return;
        }

        await SecurityNotices.SendAsync(sender, account.Value,
            "repeated sign-in attempts with a wrong password from devices that have not signed in to your account before; your own devices can still sign in",
            "有人在未登录过您账号的设备上多次输入错误密码尝试登录；您自己的设备仍可正常登录",
            culture, at, cancellationToken).ConfigureAwait(false);
    }
}
