using Microsoft.Extensions.Logging;

namespace RawMail.OAuth2.Tests;

/// <summary>A logger that keeps every formatted message and every structured value.</summary>
public sealed class CapturingLogger : ILogger
{
    public List<string> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
        {
            Entries.Add(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (KeyValuePair<string, object?> value in values)
                {
                    Entries.Add($"{value.Key}={value.Value}");
                }
            }

            if (exception is not null)
            {
                Entries.Add(exception.ToString());
            }
        }
    }
}
