using System.Text;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>
/// Keeps every log entry, with its structured values and exception, as text, and copies each to
/// the test output, so an assertion on <see cref="Text"/> covers the test output too.
/// </summary>
internal sealed class CapturingLogger(ITestOutputHelper output) : ILogger
{
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var entry = new StringBuilder();
        entry.Append(logLevel).Append(' ').Append(eventId.Id).Append(' ').Append(formatter(state, exception));
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (KeyValuePair<string, object?> value in values)
            {
                entry.Append(" | ").Append(value.Key).Append('=').Append(value.Value);
            }
        }

        if (exception is not null)
        {
            entry.Append('\n').Append(exception);
        }

        string line = entry.ToString();
        lock (_text)
        {
            _text.AppendLine(line);
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished, and xunit no longer takes its output; the entry is still kept.
        }
    }
}
