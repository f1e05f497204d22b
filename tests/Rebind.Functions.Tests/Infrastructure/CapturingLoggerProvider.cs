using System.Collections.Concurrent;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>Keeps every log line (message and exception text) the app writes, at every level.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> events = new();

    public IReadOnlyCollection<string> Lines => lines;

    /// <summary>Every entry with its level and event id (what an alert rule on the logs would match).</summary>
    public IReadOnlyCollection<(LogLevel Level, EventId Id, string Message)> Events => events;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines, events);

    public void Dispose()
    {
    }

    /// <summary>Registers the provider and lets Information and below through (TestApp defaults to Warning).</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Trace);
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<(LogLevel, EventId, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            events.Enqueue((logLevel, eventId, formatter(state, exception)));
        }
    }
}
