using Microsoft.Extensions.DependencyInjection.Extensions;
using Azure.Identity;
using Rebind.Azure.Communication.Sms;
using Rebind.Azure.Flows;
using Rebind.Azure.Messaging;
using Rebind.Azure.Stores;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.EmailBinding;
using Rebind.Core.Flows.EmailChange;
using Rebind.Core.Flows.PhoneBinding;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Flows.PhoneUnbinding;
using Rebind.Core.Flows.SignUp;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Functions.Flows;
using Rebind.Functions.Flows.Effects;
using Rebind.Functions.Flows.SignUp;
using Rebind.Functions.Http;

namespace Rebind.Functions.Hosting;

public static class FlowSetup
{
    /// <summary>Flows, their stores, effect handlers, the notices' outbox rows and the sender (ACS when configured, else the dev inbox).</summary>
    public static void AddRebindFlows(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var keys = CodeKeys.Load(builder.Configuration, builder.Environment.IsDevelopment(), out var warning);
        services.AddSingleton(keys);
        services.AddSingleton(new CodeKeyWarning(warning));
        services.AddSingleton(Policy(builder.Configuration));
        services.AddSingleton(builder.Configuration.GetSection("Flows").Get<FlowOptions>() ?? new FlowOptions());

        services.AddSingleton<TableFlowStore>();
        services.AddSingleton<TableIdempotencyStore>();
        services.AddSingleton<DevInboxSender>();
        AddSender(builder);
        MeterSender(services);

        // Flow kinds: the Core definition, the app's view of it, and handlers for its effects.
        services.AddSingleton<IFlowDefinition>(sp => new SignUpFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowKind, SignUpKind>();
        services.AddSingleton<IFlowEffectHandler, CreateAccountHandler>();

        // Signed-in account-change kinds (issues 6, 7).
        services.AddSingleton<IFlowDefinition>(sp => new BindPhoneFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowDefinition>(sp => new ChangePhoneFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowDefinition>(sp => new UnbindPhoneFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowDefinition>(sp => new BindEmailFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowDefinition>(sp => new ChangeEmailFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowKind, BindPhoneKind>();
        services.AddSingleton<IFlowKind, ChangePhoneKind>();
        services.AddSingleton<IFlowKind, UnbindPhoneKind>();
        services.AddSingleton<IFlowKind, BindEmailKind>();
        services.AddSingleton<IFlowKind, ChangeEmailKind>();

        // Account-change effects (bind, change, unbind, reset), shared by every account-change kind.
        services.AddSingleton<AccountChanges>();
        services.AddSingleton<IFlowEffectHandler, BindPhoneHandler>();
        services.AddSingleton<IFlowEffectHandler, BindEmailHandler>();
        services.AddSingleton<IFlowEffectHandler, ChangePhoneHandler>();
        services.AddSingleton<IFlowEffectHandler, ChangeEmailHandler>();
        services.AddSingleton<IFlowEffectHandler, UnbindPhoneHandler>();
        services.AddSingleton<IFlowEffectHandler, ResetPasswordHandler>();
        services.AddSingleton<IFlowStepObserver, FlowStepHistory>();
        services.AddSingleton<Telemetry.FlowMetrics>();
        services.AddSingleton<IFlowStepObserver>(sp => sp.GetRequiredService<Telemetry.FlowMetrics>());

        services.AddSingleton(sp => new FlowRegistry(sp.GetServices<IFlowDefinition>()));
        services.AddSingleton<FlowKinds>();
        services.AddSingleton<PasswordStepMetrics>();
        services.AddSingleton<OrchestrationWaitMetrics>();
        services.AddSingleton<FlowSignals>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<Http.ResponseTiming<Core.Messaging.Channel>>();
        services.AddSingleton<FlowInputs>();
        services.AddSingleton<IdempotencyFilter>();
        // The code step of flows on Durable (both hosts: the local host's activity and the worker's trigger call it).
        services.AddSingleton<Durable.FlowWork>();
    }

    /// <summary>
    /// Wraps the sender the app resolves (ACS, the development inbox, or a test's stand-in registered before this
    /// runs) in <see cref="Telemetry.MeteredMessageSender"/>, so every send is counted once, at the one place all go through.
    /// </summary>
    private static void MeterSender(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IMessageSender));
        services.Remove(registered);
        services.AddSingleton<IMessageSender>(sp => new Telemetry.MeteredMessageSender(
            registered.ImplementationInstance as IMessageSender
                ?? registered.ImplementationFactory?.Invoke(sp) as IMessageSender
                ?? (IMessageSender)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
            sp.GetRequiredService<Telemetry.FlowMetrics>()));
    }

    /// <summary>Logs the development key warning once the app has a logger.</summary>
    public static void WarnAboutRebindKeys(this IServiceProvider services)
    {
        if (services.GetRequiredService<CodeKeyWarning>().Message is { } message)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(RebindApp.LogCategory).LogWarning("{Warning}", message);
        }
    }

    private static void AddSender(IHostApplicationBuilder builder)
    {
        var acs = builder.Configuration.GetSection(AcsOptions.SectionName).Get<AcsOptions>() ?? new AcsOptions();
        if (!acs.IsConfigured)
        {
            // The development inbox stores codes in plain text for a developer to read: never a fallback
            // for a deployed app whose ACS settings went missing.
            if (!builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "ACS is not configured: set Acs__ConnectionString or Acs__Endpoint (with Acs__SmsFrom and Acs__EmailFrom). " +
                    "Only Development may send messages to the development inbox.");
            }
            builder.Services.TryAddSingleton<IMessageSender>(sp => sp.GetRequiredService<DevInboxSender>());
            return;
        }

        builder.Services.AddSingleton(acs);
        var credential = string.IsNullOrWhiteSpace(acs.ConnectionString) ? new DefaultAzureCredential() : null;
        builder.Services.AddSingleton(_ =>
        {
            // The flow's activities own retries (the Durable retry policy, the same idempotency key); one attempt here.
            var options = new SmsClientOptions();
            options.Retry.MaxRetries = 0;
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            return AcsClientFactory.CreateSmsClient(acs, credential, options);
        });
        builder.Services.AddSingleton(_ =>
        {
            var options = new Rebind.Azure.Communication.Email.EmailClientOptions();
            options.Retry.MaxRetries = 0;
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            return AcsClientFactory.CreateEmailClient(acs, credential, options);
        });
        builder.Services.AddSingleton<AcsSmsSender>();
        builder.Services.AddSingleton(sp => new AcsEmailSender(
            sp.GetRequiredService<Rebind.Azure.Communication.Email.EmailClient>(), acs,
            sp.GetRequiredService<ILogger<AcsEmailSender>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<IMessageSender, AcsMessageSender>();
    }

    /// <summary>Defaults from <see cref="FlowPolicy"/>; limits overridable under <c>RateLimits</c>.</summary>
    private static FlowPolicy Policy(IConfiguration configuration)
    {
        var section = configuration.GetSection("RateLimits");
        var d = FlowPolicy.Default;
        RateLimitRule Rule(RateLimitRule rule, string key) =>
            section.GetValue<int?>(key) is { } limit ? rule with { Limit = limit } : rule;
        return (d with
        {
            SmsPerDestinationPerHour = Rule(d.SmsPerDestinationPerHour, "SmsPerDestinationPerHour"),
            SmsPerDestinationPerDay = Rule(d.SmsPerDestinationPerDay, "SmsPerDestinationPerDay"),
            EmailPerDestinationPerHour = Rule(d.EmailPerDestinationPerHour, "EmailPerDestinationPerHour"),
            EmailPerDestinationPerDay = Rule(d.EmailPerDestinationPerDay, "EmailPerDestinationPerDay"),
            FlowStartsPerIpPerHour = Rule(d.FlowStartsPerIpPerHour, "FlowStartsPerIpPerHour"),
            NewContactRecoveryHold = configuration.GetValue<double?>("Recovery:NewContactHoldDays") is { } days ? TimeSpan.FromDays(days) : d.NewContactRecoveryHold,
        }).EnsureValid();
    }
}

internal sealed record CodeKeyWarning(string? Message);
