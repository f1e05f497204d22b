using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Rebind.Functions.Http;

/// <summary>The OpenAPI document: the bearer session scheme, required on every endpoint that needs a signed-in caller.</summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

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
