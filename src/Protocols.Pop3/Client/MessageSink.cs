using System.Buffers;
using System.IO.Pipelines;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// Where a retrieved message goes: the unstuffer writes into <see cref="Writer"/> and the client calls
/// <see cref="FlushAsync"/> after each network read, so at most one read's worth of data is held.
/// </summary>
internal abstract class MessageSink
{
    public abstract IBufferWriter<byte> Writer { get; }

    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    public static MessageSink For(Stream stream) => new StreamSink(stream);

    public static MessageSink For(IBufferWriter<byte> writer) => new BufferWriterSink(writer);

    public static MessageSink For(PipeWriter writer) => new PipeWriterSink(writer);

    /// <summary>
    /// Collects one network read's worth of decoded data in a pooled buffer and writes it to the stream on flush.
    /// The buffer goes back to the pool at each flush, so retrieving many messages allocates no buffer per message
    /// and an idle sink keeps no buffer.
    /// </summary>
    private sealed class StreamSink(Stream stream) : MessageSink, IBufferWriter<byte>
    {
        private const int MinimumBufferSize = 4096;

        private byte[] _buffer = [];
        private int _written;

        public override IBufferWriter<byte> Writer => this;

        public void Advance(int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
            _written += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            EnsureCapacity(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            EnsureCapacity(sizeHint);
            return _buffer.AsSpan(_written);
        }

        public override async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_written > 0)
            {
                await stream.WriteAsync(_buffer.AsMemory(0, _written), cancellationToken).ConfigureAwait(false);
            }

            ReturnBuffer();
        }

        private void EnsureCapacity(int sizeHint)
        {
            int needed = _written + Math.Max(sizeHint, 1);
            if (needed <= _buffer.Length)
            {
                return;
            }

            int size = Math.Max(needed, Math.Max(MinimumBufferSize, _buffer.Length * 2));
            byte[] larger = ArrayPool<byte>.Shared.Rent(size);
            _buffer.AsSpan(0, _written).CopyTo(larger);
            int written = _written;
            ReturnBuffer();
            _buffer = larger;
            _written = written;
        }

        private void ReturnBuffer()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }

            _written = 0;
        }
    }

    private sealed class BufferWriterSink(IBufferWriter<byte> writer) : MessageSink
    {
        public override IBufferWriter<byte> Writer => writer;

        public override ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class PipeWriterSink(PipeWriter writer) : MessageSink
    {
        public override IBufferWriter<byte> Writer => writer;

        public override async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            // Waiting for the flush applies the pipe's back pressure to the POP3 connection.
            FlushResult result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The flush to the destination pipe was canceled.");
            }
        }
    }
}
