using System.Globalization;

namespace RawMail.Cli;

/// <summary>
/// Progress of one transfer on standard error: a redrawn bar when standard error is a terminal,
/// otherwise a plain line at each quarter of a known size (or each MiB when the size is unknown).
/// </summary>
internal sealed class TransferProgress
{
    private const int BarWidth = 30;
    private const long UnknownSizeStep = 1024 * 1024;

    private readonly string _label;
    private readonly long? _total;
    private readonly bool _terminal;
    private readonly bool _enabled;
    private long _done;
    private long _nextReport;
    private long _lastDrawTicks;
    private long _lastPrinted = -1;

    public TransferProgress(string label, long? total, bool enabled = true)
    {
        _label = label;
        _total = total is > 0 ? total : null;
        _terminal = !Console.IsErrorRedirected;
        _enabled = enabled;
        _nextReport = _total is { } size ? size / 4 : UnknownSizeStep;
    }

    public void Advance(long count)
    {
        _done += count;
        if (!_enabled)
        {
            return;
        }

        if (_terminal)
        {
            long now = Environment.TickCount64;
            if (now - _lastDrawTicks >= 100)
            {
                _lastDrawTicks = now;
                Console.Error.Write("\r" + Describe());
            }

            return;
        }

        if (_done >= _nextReport)
        {
            _lastPrinted = _done;
            Console.Error.WriteLine(Describe());
            _nextReport = _total is { } size ? _nextReport + (size / 4) : _nextReport + UnknownSizeStep;
        }
    }

    public void Complete()
    {
        if (!_enabled)
        {
            return;
        }

        if (_terminal)
        {
            Console.Error.WriteLine("\r" + Describe());
        }
        else if (_lastPrinted != _done)
        {
            Console.Error.WriteLine(Describe());
        }
    }

    private string Describe()
    {
        string done = FormatBytes(_done);
        if (_total is not { } total)
        {
            return $"{_label}: {done}";
        }

        double fraction = Math.Min(1.0, (double)_done / total);
        int filled = (int)(fraction * BarWidth);
        string bar = _terminal ? "[" + new string('#', filled) + new string('.', BarWidth - filled) + "] " : "";
        return $"{_label}: {bar}{(fraction * 100).ToString("0", CultureInfo.InvariantCulture)}% " +
            $"({done} of {FormatBytes(total)})";
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}

/// <summary>
/// A pass-through stream that reports the bytes read or written to a <see cref="TransferProgress"/>. It owns
/// the inner stream and disposes it.
/// </summary>
internal sealed class ProgressStream(Stream inner, TransferProgress progress) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = inner.Read(buffer, offset, count);
        progress.Advance(read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        progress.Advance(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        progress.Advance(count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        progress.Advance(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
