using Azure;

namespace Rebind.Azure.Tables;

/// <summary>An entity group transaction failed: nothing in it was committed.</summary>
public class TableTransactionFailedException : RequestFailedException
{
    /// <summary>Wraps the failure of a transaction, naming the action that failed when the service said which.</summary>
    public TableTransactionFailedException(RequestFailedException requestFailedException, int? failedTransactionActionIndex = null)
        : base(requestFailedException.Status, requestFailedException.Message, requestFailedException.ErrorCode, requestFailedException.InnerException)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
    }

    /// <summary>The 0-based index, in the submitted order, of the action that failed; <c>null</c> when unknown.</summary>
    public int? FailedTransactionActionIndex { get; }
}
