using Azure;
using Rebind.Core.Flows;

namespace Rebind.Azure.Flows;

/// <summary>A flow as read, with the ETag a conditional write must send back.</summary>
public sealed record StoredFlow(Flow Flow, ETag ETag);
