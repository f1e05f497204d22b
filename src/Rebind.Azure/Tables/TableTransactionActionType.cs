namespace Rebind.Azure.Tables;

/// <summary>The kind of a single operation inside an entity group transaction.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails with 409 when the entity exists.</summary>
    Add = 0,

    /// <summary>Merge into an existing entity (If-Match: the action's ETag, or <c>*</c>).</summary>
    UpdateMerge = 1,

    /// <summary>Replace an existing entity (If-Match: the action's ETag, or <c>*</c>).</summary>
    UpdateReplace = 2,

    /// <summary>Delete an entity (If-Match: the action's ETag, or <c>*</c>).</summary>
    Delete = 3,

    /// <summary>Insert or merge.</summary>
    UpsertMerge = 4,

    /// <summary>Insert or replace.</summary>
    UpsertReplace = 5,
}
