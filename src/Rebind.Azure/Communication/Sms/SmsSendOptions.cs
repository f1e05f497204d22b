namespace Rebind.Azure.Communication.Sms;

/// <summary>Optional settings of one send.</summary>
public class SmsSendOptions
{
    /// <summary>Creates options with delivery reports off.</summary>
    public SmsSendOptions()
    {
    }

    /// <summary>Creates options with delivery reports on or off.</summary>
    public SmsSendOptions(bool enableDeliveryReport) => EnableDeliveryReport = enableDeliveryReport;

    /// <summary>Whether ACS publishes a delivery report through Event Grid.</summary>
    public bool EnableDeliveryReport { get; set; }

    /// <summary>A tag echoed in the delivery report.</summary>
    public string? Tag { get; set; }
}
