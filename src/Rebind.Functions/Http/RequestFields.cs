using System.Globalization;
using Rebind.Core;
using Rebind.Core.Flows;

namespace Rebind.Functions.Http;

/// <summary>
/// The one rule for request fields: a field that is missing (absent, null, empty or blank) or malformed is
/// <c>400 validation_failed</c> with <c>field</c>, answered before anything is looked up, so it costs no attempt,
/// no rate-limit slot and no storage read. A JSON value of the wrong type (<c>{"phone": 5}</c>) gets the same
/// answer from the problem mapper. A well-formed value the domain refuses (a phone number that does not exist)
/// keeps its own code (<c>invalid_phone</c>). Handlers list their checks with <see cref="First"/>.
/// </summary>
public static class RequestFields
{
    /// <summary>Page size of lists with <c>limit</c>, when not given.</summary>
    public const int DefaultLimit = 20;

    /// <summary>Largest accepted <c>limit</c>.</summary>
    public const int MaxLimit = 100;

    /// <summary>The first failed check, or null when all passed.</summary>
    public static Error? First(params Error?[] checks) => checks.FirstOrDefault(c => c is not null);

    /// <summary>A non-blank string.</summary>
    public static Error? Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? RequestErrors.Missing(field) : null;

    /// <summary>Longest accepted <c>deviceId</c>.</summary>
    public const int MaxDeviceIdLength = 100;

    /// <summary>
    /// An optional device id (sign-in): absent or empty, or a random value of at least 128 bits as an
    /// <c>Idempotency-Key</c> must be (<see cref="IdempotencyKeys.IsStrong"/>: a UUID, 22+ base64url characters), at most
    /// <see cref="MaxDeviceIdLength"/> characters. It is what makes a device known to an account, so a guessable one
    /// (a model name, "1") is refused rather than quietly shared.
    /// </summary>
    public static Error? DeviceId(string? value, string field = "deviceId") =>
        string.IsNullOrEmpty(value) || (value.Length <= MaxDeviceIdLength && IdempotencyKeys.IsStrong(value))
            ? null
            : RequestErrors.Malformed(field, $"'{field}' must be a random value of at least 128 bits kept by the app, e.g. a UUID, at most {MaxDeviceIdLength} characters.")
                .With("rule", "entropy");

    /// <summary>An optional ISO 3166 region for national phone numbers: absent, or two letters.</summary>
    public static Error? Region(string? value, string field = "region") =>
        string.IsNullOrEmpty(value) || (value.Length == 2 && value.All(char.IsAsciiLetter))
            ? null
            : RequestErrors.Malformed(field, $"'{field}' must be a two-letter ISO 3166 region, e.g. CN.");

    /// <summary>
    /// A verification code: <paramref name="digits"/> digits once spaces and dashes are dropped and full-width (or
    /// other) digits folded. "12345", "abcdef" and seven digits are malformed, never a wrong code.
    /// </summary>
    public static Error? Code(string? value, int digits, string field = "code") =>
        Required(value, field)
        ?? (ChallengeService.NormalizeCode(value, digits) is null
            ? RequestErrors.Malformed(field, $"'{field}' must be the {digits}-digit code from the message.")
            : null);

    /// <summary>
    /// A page size: absent or empty → <see cref="DefaultLimit"/>; else an integer 1–<see cref="MaxLimit"/> in ASCII
    /// digits. Never clamped: <c>limit=-1</c> or <c>limit=100000</c> is a client bug worth hearing about.
    /// </summary>
    public static Result<int> Limit(string? value, string field = "limit")
    {
        if (string.IsNullOrEmpty(value))
        {
            return DefaultLimit;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit
            ? limit
            : RequestErrors.Malformed(field, $"'{field}' must be a whole number from 1 to {MaxLimit}.");
    }
}
