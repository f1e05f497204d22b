using System.Globalization;

namespace Rebind.Azure.Tables;

public partial class TableClient
{
    /// <summary>
    /// Builds an OData filter from an interpolated string, quoting and escaping each interpolated value by
    /// its type: strings (and enums) as <c>'..'</c> with quotes doubled, <see cref="DateTimeOffset"/> and
    /// <see cref="DateTime"/> as <c>datetime'..'</c> (UTC), <see cref="Guid"/> as <c>guid'..'</c>,
    /// <see cref="long"/> as <c>..L</c>, <see cref="bool"/> as <c>true</c>/<c>false</c>, byte arrays as
    /// <c>X'..'</c>, numbers in the invariant culture. Example:
    /// <code>TableClient.CreateQueryFilter($"PartitionKey eq {pk} and Expires lt {now}")</code>
    /// </summary>
    public static string CreateQueryFilter(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var args = filter.GetArguments().Select(FilterLiteral).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, args);
    }

    internal static string FilterLiteral(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        char c => Quote(c.ToString()),
        bool b => b ? "true" : "false",
        DateTimeOffset dto => $"datetime'{EdmValue.FormatDateTime(dto)}'",
        DateTime dt => $"datetime'{EdmValue.FormatDateTime(EdmValue.ToDateTimeOffset(dt))}'",
        Guid g => $"guid'{g:D}'",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        int or short or byte or sbyte or ushort => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        uint u => u.ToString(CultureInfo.InvariantCulture) + "L",
        double d => EdmValue.FormatDouble(d),
        float f => EdmValue.FormatDouble(f),
        decimal m => EdmValue.FormatDouble((double)m),
        byte[] bytes => $"X'{Convert.ToHexStringLower(bytes)}'",
        BinaryData data => $"X'{Convert.ToHexStringLower(data.ToArray())}'",
        Enum e => Quote(e.ToString()),
        IFormattable f => Quote(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => Quote(value.ToString() ?? string.Empty),
    };

    private static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
}
