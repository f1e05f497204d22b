using Rebind.Core;
using Rebind.Core.Flows;

namespace Rebind.Functions.Http;

/// <summary>Errors about the request itself (not the flow), with stable codes.</summary>
public static class RequestErrors
{
    /// <summary>A missing or malformed field (<c>field</c> names it); see <see cref="RequestFields"/>.</summary>
    public const string ValidationFailedCode = "validation_failed";

    public static Error Missing(string field) =>
        new Error(ValidationFailedCode, $"'{field}' is required.", ErrorKind.Validation).With("field", field);

    /// <summary>A field present but not of the form it must have; <paramref name="message"/> says which form.</summary>
    public static Error Malformed(string field, string message) =>
        new Error(ValidationFailedCode, message, ErrorKind.Validation).With("field", field);

    public const string AttestationRequiredCode = "attestation_required";
    public const string AttestationFailedCode = "attestation_failed";

    /// <summary>An anonymous start without the client attestation token (<c>X-Attestation-Token</c>).</summary>
    public static Error AttestationRequired() =>
        new(AttestationRequiredCode, "This request needs the app's attestation token (X-Attestation-Token). Update the app and try again.", ErrorKind.Validation);

    /// <summary>An attestation token that did not verify; why is logged, never answered.</summary>
    public static Error AttestationFailed() =>
        new(AttestationFailedCode, "This app or device could not be verified. Update the app and try again.", ErrorKind.Forbidden);

    private static readonly Dictionary<string, (string En, string Zh)> Texts = new()
    {
        [AttestationRequiredCode] = ("This request needs the app's attestation token (X-Attestation-Token). Update the app and try again.", "此请求需要应用的验证令牌（X-Attestation-Token），请更新应用后重试。"),
        [AttestationFailedCode] = ("This app or device could not be verified. Update the app and try again.", "无法验证此应用或设备，请更新应用后重试。"),
        [ValidationFailedCode] = ("A required field is missing or not valid.", "缺少必填字段或字段无效。"),
        [IdempotencyKeyReusedCode] = ("This Idempotency-Key was used with a different request.", "该 Idempotency-Key 已用于另一个请求。"),
        ["idempotency_in_progress"] = ("The same request is still being processed. Retry shortly.", "相同的请求仍在处理中，请稍后重试。"),
        [ProblemCodes.StorageUnavailable] = ("The service is briefly unavailable. Try again in a few seconds.", "服务暂时不可用，请几秒后重试。"),
        ["flow_conflict"] = ("This request was changed at the same time by another one. Read it and try again.", "该操作同时被另一个请求修改，请刷新后重试。"),
    };

    /// <summary>Localized text of the request-level codes; null for other codes.</summary>
    public static string? Text(string code, string culture) =>
        Texts.TryGetValue(code, out var text) ? (culture == Cultures.Chinese ? text.Zh : text.En) : null;
    /// <summary>A field present but not one of the values it may take (<paramref name="allowed"/>).</summary>
    public static Error Invalid(string field, params string[] allowed) =>
        new Error("validation_failed", $"'{field}' must be one of: {string.Join(", ", allowed)}.", ErrorKind.Validation)
            .With("field", field).With("allowed", allowed);

    public const string IdempotencyKeyReusedCode = "idempotency_key_reused";

    /// <summary>422: the request is well-formed but contradicts the one first sent with the key.</summary>
    public static Error IdempotencyKeyReused() =>
        new(IdempotencyKeyReusedCode, "This Idempotency-Key was used with a different request.", ErrorKind.Validation);

    /// <summary>409: the flow kept changing under this request (concurrent steps won every race).</summary>
    public static Error FlowConflict() =>
        new("flow_conflict", "This request was changed by another request at the same time. Read it and try again.", ErrorKind.Conflict);

    public static Error IdempotencyInProgress() =>
        new("idempotency_in_progress", "A request with this Idempotency-Key is still being processed. Retry shortly.", ErrorKind.Conflict);

    /// <summary>An anonymous request's key that could be guessed (see <see cref="IdempotencyKeys.IsStrong"/>).</summary>
    public static Error WeakIdempotencyKey() =>
        new Error("validation_failed", "Without a session, Idempotency-Key must be random with at least 128 bits, e.g. a UUID or 22+ base64url characters.", ErrorKind.Validation)
            .With("field", "Idempotency-Key").With("rule", "entropy");

    public static Error InvalidIdempotencyKey() =>
        new Error("validation_failed", "Idempotency-Key must be 1–255 visible characters.", ErrorKind.Validation).With("field", "Idempotency-Key");
}
