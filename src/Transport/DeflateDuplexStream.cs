using System.IO.Compression;

namespace RawMail.Transport;

/// <summary>
/// A duplex stream that inflates what it reads from an inner stream and deflates what it writes to it, as raw
/// deflate without a zlib or gzip header (RFC 4978 section 3, RFC 1951).
/// </summary>
/// <remarks>
/// Every flush ends the pending deflate block with a sync flush, so a command written and flushed reaches the
/// server whole and the server can inflate it at once instead of waiting for more input (RFC 4978 section 4).
/// The inner stream stays open; its owner disposes it.
/// </remarks>
internal sealed class DeflateDuplexStream : Stream
{
    private readonly DeflateStream _inflater;
    private readonly DeflateStream _deflater;

    public DeflateDuplexStream(Stream inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inflater = new DeflateStream(inner, CompressionMode.Decompress, leaveOpen: true);
        _deflater = new DeflateStream(inner, CompressionLevel.Fastest, leaveOpen: true);
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inflater.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _inflater.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        return _inflater.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        return _inflater.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => _deflater.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _deflater.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        return _deflater.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        return _deflater.WriteAsync(buffer, offset, count, cancellationToken);
    }

    /// <summary>Ends the pending output with a sync flush and flushes the inner stream.</summary>
    public override void Flush() => _deflater.Flush();

    /// <summary>Ends the pending output with a sync flush and flushes the inner stream.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => _deflater.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
            DisposeDeflater();
        }

        base.Dispose(disposing);
    }

    private void DisposeDeflater()
    {
        try
        {
            _deflater.Dispose();
        }
        catch (IOException)
        {
            // Disposing writes the final deflate block, which fails once the socket is closed. The peer does not
            // need it because the connection is ending.
        }
        catch (Exception ex) when (ex is ObjectDisposedException or NotSupportedException
            or InvalidOperationException)
        {
            // The inner stream was disposed first, or a write on another thread is still pending. Either way the
            // connection is ending.
        }
    }
}
