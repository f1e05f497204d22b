using Microsoft.Azure.Functions.Worker;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Worker;

/// <summary>
/// The trigger functions of the orchestrators and activities in <see cref="DurableTasks"/>, written by hand (the
/// registry does not serve Microsoft.DurableTask.Generators). Each calls the same code the local host's classes run.
/// </summary>
public sealed class DurableFunctions(CodeIssuer issuer)
{
    [Function(IssueCodeActivity.Name)]
    public Task<IssuedCode> IssueCode([ActivityTrigger] IssueCodeRequest request, CancellationToken cancellationToken) =>
        issuer.IssueAsync(request, cancellationToken);
}
