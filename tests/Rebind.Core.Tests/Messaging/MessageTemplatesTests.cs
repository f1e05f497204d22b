using Rebind.Core.Messaging;

namespace Rebind.Core.Tests.Messaging;

public class MessageTemplatesTests
{
    private const string Code = "987654";

    // GSM 03.38 basic set; the extension set counts two septets each.
    private const string Gsm7Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Gsm7Extension = "^{}\\[~]|€\f";

    public static TheoryData<string, string> EveryKindInBothCultures()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in MessageKinds.All)
        {
            data.Add(kind, "zh-CN");
            data.Add(kind, "en");
        }
        return data;
    }

    public static TheoryData<string, string> CodeKindsInBothCultures()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in MessageKinds.Codes)
        {
            data.Add(kind, "zh-CN");
            data.Add(kind, "en");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindInBothCultures))]
    public void Render_EveryKindAndCulture_FillsEveryPlaceholder(string kind, string culture)
    {
        var values = FullValues();

        var sms = MessageTemplates.Render(Message(kind, culture, Channel.Sms, values));
        var email = MessageTemplates.Render(Message(kind, culture, Channel.Email, values));

        Assert.DoesNotContain("{", sms.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{", sms.Subject, StringComparison.Ordinal);
        Assert.Contains("Rebind", sms.Text, StringComparison.Ordinal);
        Assert.Contains("Rebind", sms.Subject, StringComparison.Ordinal);
        Assert.Null(sms.Html);
        Assert.Equal(sms.Text, email.Text);
        Assert.NotNull(email.Html);
        Assert.DoesNotContain("{", email.Html, StringComparison.Ordinal);
        Assert.Equal(culture == "zh-CN", ContainsCjk(sms.Text));
    }

    [Theory]
    [MemberData(nameof(EveryKindInBothCultures))]
    public void Render_EveryKind_ContainsItsValues(string kind, string culture)
    {
        var values = FullValues();

        var rendered = MessageTemplates.Render(Message(kind, culture, Channel.Email, values));

        var expected = kind switch
        {
            MessageKinds.PhoneUnboundNotice or MessageKinds.PhoneChangedNotice => new[] { "+86*******5678", "2026-01-15 09:00 UTC" },
            MessageKinds.EmailChangedNotice => ["a***@example.com", "2026-01-15 09:00 UTC"],
            MessageKinds.PhoneRemovedNotice => ["+86*******1234", "2026-01-15 09:00 UTC"],
            MessageKinds.PasswordResetNotice => ["2026-01-15 09:00 UTC"],
            MessageKinds.SecurityChangePendingNotice => ["+86*******5678", "2026-01-15 09:00 UTC", "CANCEL-42", "https://rebind.example/cancel?c=42"],
            MessageKinds.SecurityNotice => ["new sign-in", "2026-01-15 09:00 UTC"],
            MessageKinds.ContactAddedNotice => ["a***@example.com", "2026-01-15 09:00 UTC", "2026-01-22 09:00 UTC", "https://rebind.example/not-me?code=R42"],
            MessageKinds.SupportCaseApproved => ["2026-01-15 09:00 UTC", "2026-01-17 09:00 UTC"],
            MessageKinds.SupportCaseRejected => ["2026-01-15 09:00 UTC", "The evidence does not match."],
            MessageKinds.SupportCaseInfoRequested or MessageKinds.SupportCaseExpired or MessageKinds.SupportCaseCompleted => ["2026-01-15 09:00 UTC"],
            MessageKinds.SignInAlertNotice => ["Pixel 9", "203.0.113.7", "2026-01-15 09:00 UTC", "https://rebind.example/not-me?code=R42"],
            _ => [Code, "10"],
        };
        foreach (var value in expected)
        {
            Assert.Contains(value, rendered.Text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(CodeKindsInBothCultures))]
    public void Render_CodeSms_FitsOneSegment(string kind, string culture)
    {
        var rendered = MessageTemplates.Render(Message(kind, culture, Channel.Sms, new Dictionary<string, string> { ["code"] = Code, ["minutes"] = "10" }));

        if (IsGsm7(rendered.Text))
        {
            Assert.True(Gsm7Length(rendered.Text) <= 160, $"{kind}/{culture}: {Gsm7Length(rendered.Text)} GSM-7 characters");
        }
        else
        {
            Assert.True(rendered.Text.Length <= 70, $"{kind}/{culture}: {rendered.Text.Length} UCS-2 characters");
        }
    }

    [Fact]
    public void Render_EnglishCodeSms_IsGsm7()
    {
        // An English SMS that slips into UCS-2 (a curly quote) silently drops to 70 characters a segment.
        foreach (var kind in MessageKinds.All)
        {
            var rendered = MessageTemplates.Render(Message(kind, "en", Channel.Sms, FullValues()));
            Assert.True(IsGsm7(rendered.Text), kind);
        }
    }

    [Fact]
    public void Render_HtmlValues_AreEncoded()
    {
        var values = FullValues();
        values["event"] = "<script>alert('x')</script> & more";

        var rendered = MessageTemplates.Render(Message(MessageKinds.SecurityNotice, "en", Channel.Email, values));

        Assert.DoesNotContain("<script>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<script>alert('x')</script> & more", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CancelUrlMissing_LeavesOutTheLinkLine()
    {
        var values = FullValues();
        values.Remove("cancelUrl");

        var rendered = MessageTemplates.Render(Message(MessageKinds.SecurityChangePendingNotice, "en", Channel.Email, values));

        Assert.Contains("CANCEL-42", rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("cancel it here", rendered.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("{", rendered.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh", true)]
    [InlineData("zh-TW", true)]
    [InlineData("ZH-cn", true)]
    [InlineData("en-US", false)]
    [InlineData("fr", false)]
    [InlineData("", false)]
    public void Render_Culture_ChineseOnlyForZhPrefix(string culture, bool chinese)
    {
        var rendered = MessageTemplates.Render(Message(MessageKinds.SignupCode, culture, Channel.Sms, FullValues()));

        Assert.Equal(chinese, ContainsCjk(rendered.Text));
    }

    [Fact]
    public void Render_MissingRequiredValue_ThrowsWithoutEchoingValues()
    {
        var values = new Dictionary<string, string> { ["minutes"] = "10" };

        var error = Assert.Throws<ArgumentException>(() => MessageTemplates.Render(Message(MessageKinds.SignupCode, "en", Channel.Sms, values)));

        Assert.Contains("'code'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownKind_Throws()
    {
        Assert.Throws<ArgumentException>(() => MessageTemplates.Render(Message("no_such_kind", "en", Channel.Sms, FullValues())));
    }

    private static Dictionary<string, string> FullValues() => new()
    {
        ["code"] = Code,
        ["minutes"] = "10",
        ["maskedNewPhone"] = "+86*******5678",
        ["maskedNewEmail"] = "a***@example.com",
        ["maskedPhone"] = "+86*******1234",
        ["time"] = "2026-01-15 09:00 UTC",
        ["cancelCode"] = "CANCEL-42",
        ["cancelUrl"] = "https://rebind.example/cancel?c=42",
        ["event"] = "new sign-in",
        ["maskedContact"] = "a***@example.com",
        ["heldUntil"] = "2026-01-22 09:00 UTC",
        ["reportUrl"] = "https://rebind.example/not-me?code=R42",
        ["until"] = "2026-01-17 09:00 UTC",
        ["reason"] = "The evidence does not match.",
        ["device"] = "Pixel 9",
        ["place"] = "203.0.113.7",
    };

    private static OutboundMessage Message(string kind, string culture, Channel channel, IReadOnlyDictionary<string, string> values) =>
        new(Guid.NewGuid(), channel, channel == Channel.Sms ? "+8613812345678" : "alice@example.com", kind, culture, values,
            new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));

    private static bool ContainsCjk(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    private static bool IsGsm7(string text) => text.All(c => Gsm7Basic.Contains(c) || Gsm7Extension.Contains(c));

    private static int Gsm7Length(string text) => text.Sum(c => Gsm7Extension.Contains(c) ? 2 : 1);
}
