namespace Rebind.Functions;

/// <summary>Builds the app; Program and the tests share this so tests run exactly what ships.</summary>
public static class RebindApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapGet("/api/health", () => Results.Ok(new { status = "alive" }));
        return app;
    }
}
