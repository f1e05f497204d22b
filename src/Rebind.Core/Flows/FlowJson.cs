using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rebind.Core.Flows;

/// <summary>The JSON shape flows are stored in. Round-trips losslessly; use it for the flow row's payload.</summary>
public static class FlowJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize(Flow flow) => JsonSerializer.Serialize(flow, Options);

    public static Flow Deserialize(string json) =>
        JsonSerializer.Deserialize<Flow>(json, Options) ?? throw new JsonException("A flow row held 'null'.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
