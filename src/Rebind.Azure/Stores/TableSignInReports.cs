using Azure;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>A "this wasn't me" code sent with a sign-in alert: which account and session, until when, whether used.</summary>
public sealed record SignInReport(string AccountId, string SessionId, DateTimeOffset ExpiresAt, bool Used, ETag ETag) : IReportCodeRow;

/// <summary>Report codes of sign-in alerts, in table <c>SignInReports</c> (<see cref="TableReportCodes{T}"/>).</summary>
public sealed class TableSignInReports(RebindTables tables) : TableReportCodes<SignInReport>(tables, Table)
{
    public const string Table = "SignInReports";

    public Task AddAsync(string codeHash, string accountId, string sessionId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        AddAsync(codeHash, expiresAt, new Dictionary<string, object> { ["AccountId"] = accountId, ["SessionId"] = sessionId }, cancellationToken);

    protected override SignInReport? Read(TableEntity entity) =>
        entity.GetString("AccountId") is { } accountId && entity.GetString("SessionId") is { } sessionId
            ? new SignInReport(accountId, sessionId, entity.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue, entity.GetBoolean("Used") ?? true, entity.ETag)
            : null;
}
