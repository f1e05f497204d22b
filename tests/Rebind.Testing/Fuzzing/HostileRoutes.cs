using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Rebind.Testing.Fuzzing;

/// <summary>One route and method of the app, as the fuzzer sees it: what it binds and whether it needs a session.</summary>
/// <param name="Template">The route template, e.g. <c>/api/flows/{id}/code</c>.</param>
/// <param name="Body">The JSON fields of the body, when the endpoint reads one.</param>
/// <param name="Query">Names bound from the query string.</param>
public sealed record HostileRoute(
    string Template,
    string Method,
    bool RequiresAuth,
    IReadOnlyList<string> RouteParameters,
    IReadOnlyList<string> Query,
    IReadOnlyList<BodyField>? Body);

/// <summary>A JSON member of a request body; <see cref="Items"/> are the members of an array's objects.</summary>
public sealed record BodyField(string Name, BodyFieldKind Kind, IReadOnlyList<BodyField>? Items = null);

public enum BodyFieldKind
{
    Text,
    Number,
    Boolean,
    ObjectArray,
    TextArray,
    Object,
}

/// <summary>
/// The app's routes, read from its <see cref="EndpointDataSource"/>, so a route added later is fuzzed without
/// touching the fuzzer. Only <c>/api</c> is served.
/// </summary>
public static class HostileRoutes
{
    private static readonly HashSet<Type> Scalars =
        [typeof(string), typeof(int), typeof(long), typeof(bool), typeof(double), typeof(decimal), typeof(Guid), typeof(DateTimeOffset)];

    public static IReadOnlyList<HostileRoute> From(IServiceProvider services)
    {
        var routes = new List<HostileRoute>();
        foreach (var endpoint in services.GetService(typeof(EndpointDataSource)) is EndpointDataSource source ? source.Endpoints.OfType<RouteEndpoint>() : [])
        {
            var template = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            if (!template.StartsWith("/api/", StringComparison.Ordinal) && template != "/api")
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            var query = handler?.GetParameters()
                .Where(p => p.Name is not null && !routeParameters.Contains(p.Name, StringComparer.OrdinalIgnoreCase)
                    && Scalars.Contains(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
                .Select(p => p.Name!)
                .ToList() ?? [];
            var body = accepts?.RequestType is { } bodyType ? FieldsOf(bodyType, depth: 0) : null;
            var auth = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any() && !endpoint.Metadata.GetOrderedMetadata<IAllowAnonymous>().Any();
            foreach (var method in methods)
            {
                routes.Add(new HostileRoute(template, method, auth, routeParameters, query, body));
            }
        }

        return routes.OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
    }

    private static List<BodyField> FieldsOf(Type type, int depth)
    {
        var fields = new List<BodyField>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t == typeof(string))
            {
                fields.Add(new BodyField(name, BodyFieldKind.Text));
            }
            else if (t == typeof(bool))
            {
                fields.Add(new BodyField(name, BodyFieldKind.Boolean));
            }
            else if (t.IsPrimitive || t == typeof(decimal))
            {
                fields.Add(new BodyField(name, BodyFieldKind.Number));
            }
            else if (t.IsGenericType && t.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
            {
                fields.Add(item == typeof(string)
                    ? new BodyField(name, BodyFieldKind.TextArray)
                    : new BodyField(name, BodyFieldKind.ObjectArray, depth < 2 ? FieldsOf(item, depth + 1) : []));
            }
            else
            {
                fields.Add(new BodyField(name, BodyFieldKind.Object, depth < 2 && t.IsClass ? FieldsOf(t, depth + 1) : []));
            }
        }

        return fields;
    }
}
