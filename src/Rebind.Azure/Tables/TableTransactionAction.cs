using Azure;

namespace Rebind.Azure.Tables;

/// <summary>One operation of an entity group transaction (see <see cref="TableClient.SubmitTransactionAsync"/>).</summary>
public class TableTransactionAction
{
    /// <summary>Creates an action of the given type on the given entity.</summary>
    public TableTransactionAction(TableTransactionActionType actionType, ITableEntity entity)
        : this(actionType, entity, default)
    {
    }

    /// <summary>Creates an action with an ETag that update and delete actions send as <c>If-Match</c>
    /// (<c>default</c> means <c>*</c>, unconditional).</summary>
    public TableTransactionAction(TableTransactionActionType actionType, ITableEntity entity, ETag etag = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ActionType = actionType;
        Entity = entity;
        ETag = etag;
    }

    /// <summary>The kind of operation.</summary>
    public TableTransactionActionType ActionType { get; }

    /// <summary>The entity the operation writes or deletes.</summary>
    public ITableEntity Entity { get; }

    /// <summary>The ETag sent as <c>If-Match</c> for update and delete actions.</summary>
    public ETag ETag { get; }
}
