namespace Rebind.Azure.Communication.Email;

/// <summary>The state of an email send operation (an extensible enum, as in the official SDK).</summary>
public readonly struct EmailSendStatus : IEquatable<EmailSendStatus>
{
    private readonly string? value;

    /// <summary>Creates a status from the service's string.</summary>
    public EmailSendStatus(string value) => this.value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Queued, not started.</summary>
    public static EmailSendStatus NotStarted { get; } = new("NotStarted");

    /// <summary>Being processed.</summary>
    public static EmailSendStatus Running { get; } = new("Running");

    /// <summary>Handed to the recipient's mail system.</summary>
    public static EmailSendStatus Succeeded { get; } = new("Succeeded");

    /// <summary>Failed for good.</summary>
    public static EmailSendStatus Failed { get; } = new("Failed");

    /// <summary>Canceled.</summary>
    public static EmailSendStatus Canceled { get; } = new("Canceled");

    /// <summary>Whether no further status will follow.</summary>
    public bool IsTerminal => this == Succeeded || this == Failed || this == Canceled;

    /// <summary>Equality by the service's string, ignoring case.</summary>
    public static bool operator ==(EmailSendStatus left, EmailSendStatus right) => left.Equals(right);

    /// <summary>Inequality by the service's string, ignoring case.</summary>
    public static bool operator !=(EmailSendStatus left, EmailSendStatus right) => !left.Equals(right);

    /// <summary>Converts a service string.</summary>
    public static implicit operator EmailSendStatus(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(EmailSendStatus other) => string.Equals(value, other.value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EmailSendStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(value);

    /// <inheritdoc />
    public override string ToString() => value ?? string.Empty;
}
