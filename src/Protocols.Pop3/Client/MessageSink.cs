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

    private sealed class StreamSink(Stream stream) : MessageSink
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        public override IBufferWriter<byte> Writer => _buffer;

        public override async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_buffer.WrittenCount == 0)
            {
                return;
            }

            await stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
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
