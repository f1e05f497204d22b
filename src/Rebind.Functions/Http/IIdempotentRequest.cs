namespace Rebind.Functions.Http;

/// <summary>Marks a request body that <see cref="IdempotencyFilter"/> fingerprints (same key + same body = same request).</summary>
public interface IIdempotentRequest;
