namespace Rebind.Core.Messaging;

/// <summary>Names of the template values flows fill in (see <see cref="MessageTemplates"/>).</summary>
public static class MessageValues
{
    public const string CodeValue = "code";
    public const string MinutesValue = "minutes";
    public const string TimeValue = "time";
    public const string MaskedNewPhoneValue = "maskedNewPhone";
    public const string MaskedNewEmailValue = "maskedNewEmail";
    public const string MaskedPhoneValue = "maskedPhone";
    public const string CancelCodeValue = "cancelCode";
    public const string MaskedContactValue = "maskedContact";
    public const string HeldUntilValue = "heldUntil";
    public const string CancelUrlValue = "cancelUrl";
    public const string ReportUrlValue = "reportUrl";
    public const string UntilValue = "until";
    public const string ReasonValue = "reason";
    public const string DeviceValue = "device";
    public const string PlaceValue = "place";
}
