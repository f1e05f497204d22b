using Rebind.Azure.Stores;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PasswordReset;
using Rebind.Core.Flows.PhoneRecoveryByEmail;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Security;
using Rebind.Functions.Flows;
using Rebind.Functions.Recovery;

namespace Rebind.Functions.Hosting;

public static class RecoverySetup
{
    /// <summary>
    /// The sign-in-page kinds: password reset and lost-phone recovery by email, always; recovery by security
    /// questions only with <c>Recovery__SecurityQuestionsEnabled=true</c> (its options are validated at startup).
    /// Their account effects (<c>ResetPassword</c>, <c>ChangePhone</c>) are handled by the shared handlers.
    /// </summary>
    public static void AddRebindRecovery(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(RecoveryOptions.SectionName).Get<RecoveryOptions>() ?? new RecoveryOptions();
        if (string.IsNullOrWhiteSpace(options.ReportUrlFormat))
        {
            options.ReportUrlFormat = RecoveryOptions.DefaultReportUrlFormat;
        }
        if (!options.ReportUrlFormat.Contains("{code}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Recovery__ReportUrlFormat must contain {code} (where the report code goes).");
        }
        if (options.ReportUrlFormat == RecoveryOptions.DefaultReportUrlFormat && !builder.Environment.IsDevelopment())
        {
            // The default is a placeholder: notices would send the owner's "this wasn't me" code to a host nobody runs.
            throw new InvalidOperationException("Set Recovery__ReportUrlFormat to the app's own \"this wasn't me\" page (with {code}) outside Development.");
        }
        services.AddSingleton(options);
        services.AddSingleton<TableContactReports>();
        services.AddSingleton<ContactReports>();
        services.AddSingleton<SignInPageAccounts>();
        services.AddSingleton<DecoyQuestions>();
        services.AddSingleton<QuestionAnswers>();

        services.AddSingleton<IFlowDefinition>(sp => new ResetPasswordFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowKind, ResetPasswordKind>();
        services.AddSingleton<IFlowDefinition>(sp => new RecoverPhoneByEmailFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowKind, RecoverPhoneByEmailKind>();

        if (options.SecurityQuestionsEnabled)
        {
            // Decoys must not change when the code key rotates while real questions stay: that difference would
            // tell accounts from non-accounts. Outside Development they need their own key, never rotated.
            if (string.IsNullOrWhiteSpace(options.DecoyKey) && !builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "Recovery__DecoyKey is required when Recovery__SecurityQuestionsEnabled is true: base64 of at least 32 random bytes " +
                    "(`openssl rand -base64 32`), set once and never rotated (decoys must stay the same when the code keys rotate).");
            }

            if (options.MaxAnswerFailuresPerAccount is < 1 or > 20)
            {
                throw new InvalidOperationException("Recovery__MaxAnswerFailuresPerAccount must be 1–20.");
            }
            var questions = new QuestionRecoveryOptions
            {
                CoolOff = TimeSpan.FromHours(options.CoolOffHours),
                MaxAnswerAttempts = options.MaxAnswerAttempts,
                CancelUrlFormat = string.IsNullOrWhiteSpace(options.CancelUrlFormat) ? null : options.CancelUrlFormat,
            }.EnsureValid();
            services.AddSingleton<IFlowDefinition>(sp => new RecoverPhoneByQuestionsFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>(), questions));
            services.AddSingleton<IFlowKind, RecoverPhoneByQuestionsKind>();
        }
    }
}
