namespace Rebind.Azure.Tables;

/// <summary>How an update or upsert treats the properties already stored.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep stored properties that the new entity does not name.</summary>
    Merge = 0,

    /// <summary>Replace the stored entity with the new one as a whole.</summary>
    Replace = 1,
}
