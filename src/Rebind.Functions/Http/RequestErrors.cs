using Rebind.Core;

namespace Rebind.Functions.Http;

/// <summary>Errors about the request itself (not the flow), with stable codes.</summary>
public static class RequestErrors
{
    public static Error Missing(string field) =>
        new Error("validation_failed", $"'{field}' is required.", ErrorKind.Validation).With("field", field);

    /// <summary>A field present but not one of the values it may take (<paramref name="allowed"/>).</summary>
    public static Error Invalid(string field, params string[] allowed) =>
        new Error("validation_failed", $"'{field}' must be one of: {string.Join(", ", allowed)}.", ErrorKind.Validation).With("field", field);

    public const string IdempotencyKeyReusedCode = "idempotency_key_reused";

    /// <summary>422: the request is well-formed but contradicts the one first sent with the key.</summary>
    public static Error IdempotencyKeyReused() =>
        new(IdempotencyKeyReusedCode, "This Idempotency-Key was used with a different request.", ErrorKind.Validation);

    public static Error IdempotencyInProgress() =>
        new("idempotency_in_progress", "A request with this Idempotency-Key is still being processed. Retry shortly.", ErrorKind.Conflict);

    public static Error InvalidIdempotencyKey() =>
        new Error("validation_failed", "Idempotency-Key must be 1–255 visible characters.", ErrorKind.Validation).With("field", "Idempotency-Key");
}
