namespace Rebind.Azure.Tables;

/// <summary>A table in the account.</summary>
public class TableItem
{
    /// <summary>Creates an item for the table with the given name.</summary>
    public TableItem(string name) => Name = name;

    /// <summary>The table name.</summary>
    public string Name { get; }
}
