using Azure;
using Azure.Core;

namespace Rebind.Azure.Tables;

public partial class TableClient
{
    private const int MaxTransactionActions = 100;

    /// <summary>
    /// Submits an entity group transaction: up to 100 actions on entities of one partition, each entity at
    /// most once, committed all or nothing. One request (<c>POST $batch</c>). Count, partition and keys are
    /// checked before anything is sent.
    /// </summary>
    /// <returns>The response to each action, in the submitted order.</returns>
    /// <exception cref="ArgumentException">No actions, more than 100, several partitions, an entity twice, or a bad key.</exception>
    /// <exception cref="TableTransactionFailedException">An action failed; nothing was committed.
    /// <see cref="TableTransactionFailedException.FailedTransactionActionIndex"/> names it.</exception>
    public virtual async Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transactionActions);
        var actions = transactionActions.ToList();
        Validate(actions);

        var batchBoundary = "batch_" + Guid.NewGuid().ToString("D");
        var changesetBoundary = "changeset_" + Guid.NewGuid().ToString("D");
        var body = TransactionBody.Build(batchBoundary, changesetBoundary, rest.Endpoint, Name, actions);
        var message = rest.CreateMessage(RequestMethod.Post, "$batch");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "multipart/mixed; boundary=" + batchBoundary);
        message.Request.Content = RequestContent.Create(body);
        var response = await rest.SendAsync(message, cancellationToken, 202).ConfigureAwait(false);

        var parts = TransactionBody.Parse(response);
        var failed = parts.FirstOrDefault(p => p.Status >= 400);
        if (failed is not null)
        {
            var (code, errorMessage) = TablesRequestFailedDetailsParser.ParseBody(failed.Content.ToMemory());
            var index = TransactionBody.FailedIndex(errorMessage);
            var inner = new RequestFailedException(failed.Status,
                $"The transaction failed at action {index?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}: {errorMessage}\nStatus: {failed.Status}\nErrorCode: {code}",
                code, null);
            throw new TableTransactionFailedException(inner, index);
        }
        if (parts.Count != actions.Count)
        {
            throw new RequestFailedException(response.Status,
                $"The transaction response holds {parts.Count} parts for {actions.Count} actions.", null, null);
        }
        return Response.FromValue<IReadOnlyList<Response>>(parts, response);
    }

    private static void Validate(List<TableTransactionAction> actions)
    {
        if (actions.Count == 0)
        {
            throw new ArgumentException("A transaction needs at least one action.", "transactionActions");
        }
        if (actions.Count > MaxTransactionActions)
        {
            throw new ArgumentException($"A transaction holds at most {MaxTransactionActions} actions; this one has {actions.Count}.", "transactionActions");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var partition = actions[0].Entity.PartitionKey;
        foreach (var action in actions)
        {
            TableKeys.Validate(action.Entity);
            if (!string.Equals(action.Entity.PartitionKey, partition, StringComparison.Ordinal))
            {
                throw new ArgumentException("All actions of a transaction must share one PartitionKey.", "transactionActions");
            }
            if (!seen.Add(action.Entity.RowKey))
            {
                throw new ArgumentException($"A transaction may touch each entity once; RowKey '{action.Entity.RowKey}' appears twice.", "transactionActions");
            }
        }
    }
}
