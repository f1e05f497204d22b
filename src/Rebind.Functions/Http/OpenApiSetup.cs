using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Rebind.Functions.Http;

/// <summary>
/// The OpenAPI document: the bearer session scheme on every endpoint that needs a signed-in caller, and every
/// problem answer an operation can give, as <c>application/problem+json</c> with the <c>Problem</c> schema and the
/// operation's codes as an enum. Endpoints declare their own codes next to their mapping
/// (<see cref="ProblemResponses.Fails{TBuilder}(TBuilder,int,string[])"/>); the answers every endpoint of a kind shares
/// are added here (<see cref="CommonProblems"/>).
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";
    public const string ProblemSchema = "Problem";
    public const string ProblemContentType = "application/problem+json";

    public const string DocumentPath = "/api/openapi.json";

    /// <summary>
    /// Serves the document at <see cref="DocumentPath"/>. The framework's endpoint takes the document name from the
    /// query when the path has none, and answers an unknown one with a plain-text 404 that echoes it: only the one
    /// document exists, so any <c>documentName</c> but <c>v1</c> is a <c>404 not_found</c> problem.
    /// </summary>
    public static void MapRebindOpenApi(this IEndpointRouteBuilder app) =>
        app.MapOpenApi(DocumentPath).WithName("OpenApiDocument").AddEndpointFilter((invocation, next) =>
            invocation.HttpContext.Request.Query.TryGetValue("documentName", out var name) && !string.Equals(name.ToString(), "v1", StringComparison.OrdinalIgnoreCase)
                ? ValueTask.FromResult<object?>(ErrorResults.Problem(new Core.Error(ProblemCodes.NotFound, "There is no such document.", Core.ErrorKind.NotFound), invocation.HttpContext))
                : next(invocation));

    public static void AddRebindOpenApi(this IHostApplicationBuilder builder)
    {
        // Numbers are numbers on the wire, both ways. The web defaults also read numbers from strings, which made
        // the document type every integer "integer or string"; the app never writes one as a string.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);

        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Rebind";
                document.Info.Description = "Account security for the mobile app: sign-up, sign-in, binding and recovery flows. "
                    + "Every failure is application/problem+json with a stable `code`; each operation lists the codes it can answer.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The session token from POST /api/auth/sign-in.",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchema] = Problem();
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                    });
                }
                if (metadata.OfType<IdempotentMetadata>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyFilter.HeaderName,
                        In = ParameterLocation.Header,
                        Description = "Makes a retry safe: the same key with the same body answers the same, without a second flow or message.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
                    });
                }

                if (metadata.OfType<Attestation.AttestationMetadata>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = Attestation.AttestationFilter.HeaderName,
                        In = ParameterLocation.Header,
                        Required = true,
                        Description = "The client attestation token (Play Integrity, App Attest, reCAPTCHA; a fixed token in development).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }

                AddProblems(operation, metadata, context.Document);
                return Task.CompletedTask;
            });
        });
    }

    /// <summary>Problem answers every endpoint of a kind can give, whatever its handler does.</summary>
    public static IEnumerable<ProblemResponse> CommonProblems(IReadOnlyList<object> metadata, bool hasJsonBody)
    {
        yield return new(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError);
        yield return new(StatusCodes.Status503ServiceUnavailable, ProblemCodes.StorageUnavailable);
        if (hasJsonBody)
        {
            // A member of the wrong JSON type is validation_failed (+ field) from the problem mapper, on any body.
            yield return new(StatusCodes.Status400BadRequest, ProblemCodes.MalformedJson, ProblemCodes.BadRequest, ProblemResponses.ValidationFailed);
            yield return new(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge);
            yield return new(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType);
        }
        if (metadata.OfType<IAuthorizeData>().Any())
        {
            yield return new(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized);
        }
    }

    private static void AddProblems(OpenApiOperation operation, IList<object> metadata, OpenApiDocument? document)
    {
        var all = metadata.ToList();
        var declared = all.OfType<ProblemResponse>().Concat(CommonProblems(all, operation.RequestBody is not null));
        var byStatus = declared
            .GroupBy(p => p.Status)
            .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Codes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

        var responses = operation.Responses ?? new OpenApiResponses();
        // A handler that only ever answers a problem (RecoveryApi.NoAccess) has no success answer to list.
        if (all.OfType<MethodInfo>().Any(m => m.ReturnType == typeof(ProblemHttpResult)))
        {
            foreach (var success in responses.Keys.Where(k => k.StartsWith('2')).ToList())
            {
                responses.Remove(success);
            }
        }

        foreach (var (status, codes) in byStatus)
        {
            var response = new OpenApiResponse
            {
                Description = $"{ReasonPhrases.GetReasonPhrase(status)}: {string.Join(", ", codes)}.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemContentType] = new() { Schema = ProblemWithCodes(codes, document) },
                },
            };
            if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            {
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader
                    {
                        Description = "Seconds to wait; the same as retryAfterSeconds, when the problem carries it.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                    },
                };
            }
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        var sorted = new OpenApiResponses();
        foreach (var (key, value) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sorted[key] = value;
        }
        operation.Responses = sorted;
    }

    /// <summary><c>Problem</c>, with <c>code</c> narrowed to <paramref name="codes"/> (an enum a client generator can use).</summary>
    private static OpenApiSchema ProblemWithCodes(IReadOnlyList<string> codes, OpenApiDocument? document) => new()
    {
        AllOf =
        [
            new OpenApiSchemaReference(ProblemSchema, document),
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = codes.Select(c => (JsonNode)JsonValue.Create(c)).ToList() },
                },
            },
        ],
    };

    /// <summary>
    /// What every problem carries (RFC 9457 members plus <c>code</c> and <c>traceId</c>), and the members some codes
    /// add. Others may be added later: the schema stays open.
    /// </summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. Branch on `code`; `detail` is for people, in the language of Accept-Language.",
        Required = new HashSet<string> { "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference identifying the problem type."),
            ["title"] = Text("Short summary."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = Text("What went wrong, for people; localized."),
            ["instance"] = Text("The request's URI reference."),
            ["code"] = Text("Stable machine-readable code; never localized."),
            ["traceId"] = Text("Correlates the answer with the server's logs."),
            ["field"] = Text("validation_failed, invalid_phone, invalid_email: the request member (or header) at fault."),
            ["allowed"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "validation_failed: the values the field may take.",
            },
            ["rule"] = Text("weak_password, invalid_security_questions, rate_limited: which rule refused the request."),
            ["attemptsLeft"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "invalid_code, security_answers_incorrect, too_many_attempts: wrong tries still allowed." },
            ["retryAfterSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "rate_limited, resend_cooldown, sign_in_throttled: seconds to wait (also in Retry-After)." },
            ["state"] = Text("invalid_state: the flow's current state."),
            ["input"] = Text("invalid_state: the input the state does not accept."),
            ["reason"] = Text("flow_failed: the code that ended the flow."),
            ["supportUrl"] = Text("recovery_requires_support: where support-assisted recovery starts, when configured."),
        },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
