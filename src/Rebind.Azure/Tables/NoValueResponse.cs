using Azure;

namespace Rebind.Azure.Tables;

/// <summary>A <see cref="NullableResponse{T}"/> without a value (the entity was not found).</summary>
internal sealed class NoValueResponse<T>(Response response) : NullableResponse<T>
{
    public override bool HasValue => false;

    public override T Value => throw new InvalidOperationException(
        $"The entity does not exist (status {response.Status}); check HasValue first.");

    public override Response GetRawResponse() => response;
}
