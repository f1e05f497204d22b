using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Testing;

namespace Rebind.Core.Tests.Flows;

/// <summary>Shared arrangements for flow tests: a manual clock, a fixed key ring, helpers to read effects.</summary>
internal sealed class FlowTestKit
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public FlowTestKit(FlowPolicy? policy = null, CodeKeyRing? keys = null)
    {
        Policy = policy ?? FlowPolicy.Default;
        Keys = keys ?? KeyRing("k1");
        SignUp = new SignUpFlow(Policy, Keys);
    }

    public ManualTimeProvider Clock { get; } = new(Start);

    public FlowPolicy Policy { get; }

    public CodeKeyRing Keys { get; }

    public SignUpFlow SignUp { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public static CodeKeyRing KeyRing(string current, params string[] others)
    {
        var keys = new Dictionary<string, byte[]>();
        foreach (var id in others.Append(current))
        {
            keys[id] = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("test-key-" + id));
        }

        return new CodeKeyRing(current, keys);
    }

    public static PhoneNumber Phone(string e164 = "+8613812345678") => PhoneNumber.FromE164(e164);

    public static OutboundMessage SingleMessage(FlowStep step) =>
        Assert.IsType<SendMessage>(Assert.Single(step.Effects)).Message;

    public static string CodeOf(FlowStep step) => SingleMessage(step).Values["code"];

    /// <summary>A 6-digit code different from <paramref name="code"/>.</summary>
    public static string WrongCode(string code) => code == "000000" ? "000001" : "000000";

    public (Flow Flow, string Code) StartSignUp(string culture = "zh-CN")
    {
        var step = SignUp.Start(Phone(), culture, Now).Value;
        return (step.Flow, CodeOf(step));
    }

    public Flow AwaitingPassword()
    {
        var (flow, code) = StartSignUp();
        return SignUp.Apply(flow, new SubmitCode(code), Now).Value.Flow;
    }

    public Flow CreatingAccount(PasswordHasher hasher)
    {
        var flow = AwaitingPassword();
        return SignUp.Apply(flow, new SetPassword("river7stone", hasher.Hash("river7stone")), Now).Value.Flow;
    }
}
