using System.Buffers;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text.Json;
using Azure;

namespace Rebind.Azure.Tables;

/// <summary>
/// Entities to and from OData JSON. <see cref="TableEntity"/> maps its dictionary; any other
/// <see cref="ITableEntity"/> maps its public read/write instance properties (cached per type;
/// <see cref="IgnoreDataMemberAttribute"/> leaves a property out).
/// </summary>
internal static class EntityMapper
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertiesByType = new();

    public static byte[] Serialize(ITableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(TableEntity.PartitionKeyName, entity.PartitionKey);
            writer.WriteString(TableEntity.RowKeyName, entity.RowKey);
            foreach (var (name, value) in Properties(entity))
            {
                EdmValue.Write(writer, name, value);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static IEnumerable<(string Name, object? Value)> Properties(ITableEntity entity)
    {
        if (entity is TableEntity dynamic)
        {
            foreach (var (name, value) in dynamic)
            {
                if (!IsSystemProperty(name))
                {
                    yield return (name, value);
                }
            }
            yield break;
        }
        foreach (var property in PropertiesOf(entity.GetType()))
        {
            yield return (property.Name, property.GetValue(entity));
        }
    }

    private static bool IsSystemProperty(string name) =>
        name is TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName ||
        name.StartsWith("odata.", StringComparison.Ordinal) ||
        name.EndsWith(EdmValue.TypeSuffix, StringComparison.Ordinal);

    private static PropertyInfo[] PropertiesOf(Type type) => PropertiesByType.GetOrAdd(type, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0
                && p.GetMethod!.IsPublic && p.SetMethod!.IsPublic
                && !IsSystemProperty(p.Name) && p.Name != nameof(ITableEntity.ETag)
                && p.GetCustomAttribute<IgnoreDataMemberAttribute>() is null)
            .ToArray());

    public static T Deserialize<T>(JsonElement json, ETag headerETag = default) where T : class, ITableEntity
    {
        if (typeof(T) == typeof(TableEntity))
        {
            var entity = new TableEntity();
            Fill(entity, json, headerETag);
            return (T)(ITableEntity)entity;
        }

        var read = new TableEntity();
        Fill(read, json, headerETag);
        var result = Activator.CreateInstance<T>();
        result.PartitionKey = read.PartitionKey;
        result.RowKey = read.RowKey;
        result.Timestamp = read.Timestamp;
        result.ETag = read.ETag;
        foreach (var property in PropertiesOf(typeof(T)))
        {
            if (read.TryGetValue(property.Name, out var value) && value is not null)
            {
                property.SetValue(result, ConvertTo(value, property.PropertyType, property.Name));
            }
        }
        return result;
    }

    private static void Fill(TableEntity entity, JsonElement json, ETag headerETag)
    {
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name == TableEntity.ETagName)
            {
                entity[name] = property.Value.GetString();
            }
            else if (name == TableEntity.TimestampName)
            {
                entity[name] = EdmValue.ParseDateTime(property.Value.GetString()!);
            }
            else if (!name.StartsWith("odata.", StringComparison.Ordinal) && !name.EndsWith(EdmValue.TypeSuffix, StringComparison.Ordinal))
            {
                var edmType = json.TryGetProperty(name + EdmValue.TypeSuffix, out var t) ? t.GetString() : null;
                entity[name] = EdmValue.Read(property.Value, edmType);
            }
        }
        if (!entity.ContainsKey(TableEntity.ETagName) && headerETag != default)
        {
            entity.ETag = headerETag;
        }
    }

    private static object ConvertTo(object value, Type target, string name)
    {
        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsInstanceOfType(value))
        {
            return value;
        }
        object? converted = (type, value) switch
        {
            _ when type.IsEnum && value is string s => Enum.Parse(type, s),
            _ when type.IsEnum && value is int i => Enum.ToObject(type, i),
            (_, int i) when type == typeof(long) => (long)i,
            (_, int i) when type == typeof(double) => (double)i,
            (_, long l) when type == typeof(int) && l is >= int.MinValue and <= int.MaxValue => (int)l,
            (_, long l) when type == typeof(double) => (double)l,
            (_, DateTimeOffset dto) when type == typeof(DateTime) => dto.UtcDateTime,
            (_, string s) when type == typeof(Guid) => Guid.Parse(s),
            (_, byte[] bytes) when type == typeof(BinaryData) => new BinaryData(bytes),
            _ => null,
        };
        return converted ?? throw new InvalidOperationException(
            $"Property '{name}' holds a {value.GetType().Name}, which cannot be read into {target}.");
    }
}
