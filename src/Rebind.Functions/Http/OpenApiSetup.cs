using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Rebind.Functions.Http;

/// <summary>The OpenAPI document: the bearer session scheme, required on every endpoint that needs a signed-in caller.</summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public const string DocumentPath = "/api/openapi.json";

    /// <summary>
    /// Serves the document at <see cref="DocumentPath"/>. The framework's endpoint takes the document name from the
    /// query when the path has none, and answers an unknown one with a plain-text 404 that echoes it: only the one
    /// document exists, so any <c>documentName</c> but <c>v1</c> is a <c>404 not_found</c> problem.
    /// </summary>
    public static void MapRebindOpenApi(this WebApplication app) =>
        app.MapOpenApi(DocumentPath).AddEndpointFilter((invocation, next) =>
            invocation.HttpContext.Request.Query.TryGetValue("documentName", out var name) && !string.Equals(name.ToString(), "v1", StringComparison.OrdinalIgnoreCase)
                ? ValueTask.FromResult<object?>(ErrorResults.Problem(new Core.Error(ProblemCodes.NotFound, "There is no such document.", Core.ErrorKind.NotFound), invocation.HttpContext))
                : next(invocation));

    public static void AddRebindOpenApi(this WebApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Rebind";
                document.Info.Description = "Account security for the mobile app: sign-up, sign-in, binding and recovery flows.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The session token from POST /api/auth/sign-in.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                    });
                }
                return Task.CompletedTask;
            });
        });
}
