namespace Rebind.Azure.Tables;

/// <summary>A storage account name and key, used to sign requests with SharedKeyLite.</summary>
public class TableSharedKeyCredential
{
    private byte[] key;

    /// <summary>Creates a credential from the account name and its base64 key.</summary>
    public TableSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        AccountName = accountName;
        key = DecodeKey(accountKey);
    }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    /// <summary>Replaces the key, e.g. after a rotation; clients holding this credential use it from their next request.</summary>
    public void SetAccountKey(string accountKey) => Volatile.Write(ref key, DecodeKey(accountKey));

    internal byte[] KeyBytes => Volatile.Read(ref key);

    private static byte[] DecodeKey(string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        try
        {
            return Convert.FromBase64String(accountKey);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The account key is not valid base64.", nameof(accountKey), e);
        }
    }
}
