using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Rebind.Functions.Flows;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>Counts the app's password-step PBKDF2 runs (<see cref="PasswordStepMetrics"/>) while it is listening.</summary>
public sealed class PasswordHashCount : IDisposable
{
    private readonly MeterListener listener = new();
    private long count;

    private PasswordHashCount(TestApp app)
    {
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == PasswordStepMetrics.PasswordHashes)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref count, value));
        listener.Start();
    }

    public long Count => Interlocked.Read(ref count);

    public static PasswordHashCount Listen(TestApp app) => new(app);

    public void Dispose() => listener.Dispose();
}
