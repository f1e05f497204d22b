using System.Globalization;
using System.Text.Json;

namespace Rebind.Azure.Tables;

/// <summary>Entity property values to and from the OData JSON wire format, with <c>@odata.type</c> annotations.</summary>
internal static class EdmValue
{
    public const string TypeSuffix = "@odata.type";
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    // Unspecified kinds are taken as UTC: the service stores UTC only, and the machine's zone must not leak in.
    public static DateTimeOffset ToDateTimeOffset(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero),
    };

    public static string FormatDouble(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    /// <summary>Writes one property with its annotation; null values are left out (the service has no nulls).</summary>
    public static void Write(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string s:
                writer.WriteString(name, s);
                return;
            case bool b:
                writer.WriteBoolean(name, b);
                return;
            case int i:
                writer.WriteNumber(name, i);
                return;
            case long l:
                Annotate(writer, name, "Edm.Int64");
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                return;
            case double d:
                Annotate(writer, name, "Edm.Double");
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, FormatDouble(d));
                }
                return;
            case DateTimeOffset dto:
                Annotate(writer, name, "Edm.DateTime");
                writer.WriteString(name, FormatDateTime(dto));
                return;
            case DateTime dt:
                Annotate(writer, name, "Edm.DateTime");
                writer.WriteString(name, FormatDateTime(ToDateTimeOffset(dt)));
                return;
            case Guid g:
                Annotate(writer, name, "Edm.Guid");
                writer.WriteString(name, g.ToString("D"));
                return;
            case byte[] bytes:
                Annotate(writer, name, "Edm.Binary");
                writer.WriteString(name, Convert.ToBase64String(bytes));
                return;
            case BinaryData data:
                Annotate(writer, name, "Edm.Binary");
                writer.WriteString(name, Convert.ToBase64String(data.ToMemory().Span));
                return;
            case Enum e:
                // Like Azure.Data.Tables: enums are stored by name.
                writer.WriteString(name, e.ToString());
                return;
            default:
                throw new NotSupportedException(
                    $"Property '{name}' has type {value.GetType()}, which Table Storage cannot store. " +
                    "Use string, bool, int, long, double, DateTimeOffset, DateTime, Guid, byte[], BinaryData or an enum.");
        }
    }

    private static void Annotate(Utf8JsonWriter writer, string name, string edmType) =>
        writer.WriteString(name + TypeSuffix, edmType);

    /// <summary>Reads a property value, using its annotation when the service sent one.</summary>
    public static object? Read(JsonElement value, string? edmType)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        switch (edmType)
        {
            case "Edm.Int64":
                return value.ValueKind == JsonValueKind.String
                    ? long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                    : value.GetInt64();
            case "Edm.Int32":
                return value.GetInt32();
            case "Edm.Double":
                return value.ValueKind == JsonValueKind.String ? ParseDouble(value.GetString()!) : value.GetDouble();
            case "Edm.DateTime":
                return ParseDateTime(value.GetString()!);
            case "Edm.Guid":
                return Guid.Parse(value.GetString()!);
            case "Edm.Binary":
                return Convert.FromBase64String(value.GetString()!);
            case "Edm.Boolean":
                return value.GetBoolean();
            case "Edm.String":
                return value.GetString();
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            // Un-annotated numbers: Int32 when written as an integer that fits, otherwise Double
            // (the service writes integral doubles as "1.0").
            JsonValueKind.Number => IsIntegerLiteral(value) && value.TryGetInt32(out var i) ? (object)i : value.GetDouble(),
            _ => throw new InvalidOperationException($"Unexpected JSON value kind {value.ValueKind} in an entity."),
        };
    }

    public static DateTimeOffset ParseDateTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static double ParseDouble(string s) => s switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static bool IsIntegerLiteral(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.IndexOfAny(['.', 'e', 'E']) < 0;
    }
}
