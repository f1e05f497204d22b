using System.Collections.Concurrent;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>
/// Settings given to an app as the highest-priority configuration source, recording every key the app looks up.
/// Configuration asks providers from the last added down, so this one sees every lookup: indexers, GetValue and
/// options binding (which reads each property's key, and each child's key of a section it enumerates).
/// </summary>
internal sealed class RecordingConfigurationSource(IReadOnlyDictionary<string, string?> values) : IConfigurationSource
{
    private readonly ConcurrentDictionary<string, byte> read = new(StringComparer.OrdinalIgnoreCase);

    private IReadOnlyDictionary<string, string?> Values { get; } = values;

    /// <summary>Was this key (<c>A:B</c>) looked up?</summary>
    public bool WasRead(string key) => read.ContainsKey(key);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    private sealed class Provider(RecordingConfigurationSource source) : ConfigurationProvider
    {
        public override void Load() => Data = new Dictionary<string, string?>(source.Values, StringComparer.OrdinalIgnoreCase);

        public override bool TryGet(string key, out string? value)
        {
            source.read.TryAdd(key, 0);
            return base.TryGet(key, out value);
        }
    }
}
