using Rebind.Azure.Stores;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SupportRecovery;
using Rebind.Core.Security;
using Rebind.Functions.Flows;
using Rebind.Functions.Flows.Effects;
using Rebind.Functions.Flows.SupportRecovery;
using Rebind.Functions.Support.Console;

namespace Rebind.Functions.Support;

public static class SupportSetup
{
    /// <summary>
    /// Support-assisted recovery: the <c>support_recovery</c> kind and its effects, the case index and audit tables, and
    /// the console's sign-in (<c>Support__Auth</c>: <c>Development</c> by default in Development and refused elsewhere,
    /// <c>EasyAuth</c> in Azure, otherwise off).
    /// </summary>
    public static void AddRebindSupport(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SupportOptions.SectionName).Get<SupportOptions>() ?? new SupportOptions();
        if (options.Validate().ToList() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }
        var mode = options.Auth ?? (builder.Environment.IsDevelopment() ? SupportAuthMode.Development : SupportAuthMode.Off);
        if (mode == SupportAuthMode.Development && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException("Support__Auth=Development (a sign-in page where anyone picks a role) is refused outside Development: use EasyAuth.");
        }
        options.Auth = mode;
        if (string.IsNullOrWhiteSpace(options.CancelUrlFormat))
        {
            options.CancelUrlFormat = builder.Configuration["Recovery:CancelUrlFormat"];
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<TableSupportCases>();
        services.AddSingleton<TableSupportAudit>();
        services.AddSingleton<EarlierPasswords>();
        services.AddSingleton<IFlowStepObserver, SupportCaseIndex>();
        services.AddSingleton(sp => new ConsoleAuth(mode, sp.GetRequiredService<CodeKeyRing>(), sp.GetRequiredService<TimeProvider>()));
        var flow = options.Flow;
        services.AddSingleton<IFlowDefinition>(sp => new SupportRecoveryFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>(), flow));
        services.AddSingleton<IFlowKind, SupportRecoveryKind>();
        services.AddSingleton<IFlowEffectHandler, ScoreSupportCaseHandler>();
        services.AddSingleton<IFlowEffectHandler, RecoverBySupportHandler>();
    }

    public static void MapSupportApi(this IEndpointRouteBuilder app)
    {
        app.MapSupportCaseApi();
        app.MapSupportConsole();
    }
}
