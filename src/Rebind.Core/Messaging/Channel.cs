namespace Rebind.Core.Messaging;

public enum Channel
{
    Sms,
    Email,
}
