using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RawMail.Transport.Diagnostics;

namespace RawMail.Transport;

/// <summary>
/// One TCP connection to an IMAP, SMTP or POP3 server, with optional TLS, exposed as a pipe pair.
/// </summary>
/// <remarks>
/// <para>
/// Failure model: any <see cref="MailProtocolException"/>, timeout or cancellation closes the connection, because
/// a half-read response or a half-written command cannot be resumed. Later calls throw
/// <see cref="MailProtocolException"/> with <see cref="ProtocolErrorReason.ConnectionBroken"/>.
/// </para>
/// <para>
/// Threading: one read and one write may run at the same time (for example an IMAP IDLE read while DONE is
/// written), but not two reads or two writes.
/// </para>
/// </remarks>
public sealed partial class MailConnection : IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;
    private const int MinimumReadSize = 16 * 1024;

    private readonly MailConnectionOptions _options;
    private readonly Socket _socket;
    private readonly NetworkStream _networkStream;
    private readonly OperationDeadline _readDeadline;
    private readonly OperationDeadline _writeDeadline;
    private SslStream? _sslStream;
    private int _closed;

    private MailConnection(MailConnectionOptions options, Socket socket)
    {
        _options = options;
        _socket = socket;
        _networkStream = new NetworkStream(socket, ownsSocket: true);
        _readDeadline = new OperationDeadline(options.CommandTimeout);
        _writeDeadline = new OperationDeadline(options.CommandTimeout);
        RemoteEndPoint = socket.RemoteEndPoint!;
        LocalEndPoint = socket.LocalEndPoint!;
        CreatePipes(_networkStream);
    }

    /// <summary>
    /// Bytes from the server. Prefer <see cref="ReadAsync(CancellationToken)"/> and <see cref="AdvanceTo"/>,
    /// which apply the command timeout and feed the protocol log. This property changes after
    /// <see cref="UpgradeToTlsAsync"/>, so do not keep a reference across STARTTLS.
    /// </summary>
    public PipeReader Input { get; private set; }

    /// <summary>
    /// Bytes to the server. Prefer the Write methods, which feed the protocol log. This property changes after
    /// <see cref="UpgradeToTlsAsync"/>.
    /// </summary>
    public PipeWriter Output { get; private set; }

    public bool IsEncrypted => _sslStream is not null;

    public SslProtocols? NegotiatedProtocol => _sslStream?.SslProtocol;

    public X509Certificate? RemoteCertificate => _sslStream?.RemoteCertificate;

    public EndPoint RemoteEndPoint { get; }

    /// <summary>The local address and port of the socket, for example to build an SMTP EHLO address literal.</summary>
    public EndPoint LocalEndPoint { get; }

    public ProtocolLog? Log => _options.ProtocolLog;

    public MailConnectionOptions Options => _options;

    /// <summary>True once the connection was closed by a failure or by <see cref="DisposeAsync"/>.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Closes the connection and throws a <see cref="MailProtocolException"/>. Protocol clients call it when the
    /// server violates the protocol, so that the connection is never used in an unknown state.
    /// </summary>
    [DoesNotReturn]
    public void Abort(ProtocolErrorReason reason, string message, Exception? innerException = null)
    {
        Close();
        throw new MailProtocolException(reason, message, innerException);
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _readDeadline.Dispose();
        _writeDeadline.Dispose();
        return ValueTask.CompletedTask;
    }

    [MemberNotNull(nameof(Input), nameof(Output))]
    private void CreatePipes(Stream stream)
    {
        // The pipes leave their stream open because Close disposes the streams itself. Completing the plain-text
        // pipes before STARTTLS must not close the socket that the TLS stream is about to use.
        // Reads of up to 64 KB, at least one TLS record (16 KB) each, keep bulk downloads near the socket's speed: with
        // the 4 KB default every large literal or RETR reply costs many more reads and pipe advances.
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(
            pool: _options.MemoryPool, bufferSize: ReadBufferSize, minimumReadSize: MinimumReadSize, leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(pool: _options.MemoryPool, leaveOpen: true));
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        // Disposing the socket first makes any pending read or write fail at once; completing the pipes afterwards
        // releases their buffers.
        _socket.Dispose();
        _compressionStream?.Dispose();
        _sslStream?.Dispose();
        _networkStream.Dispose();

        // Completing the input pipe returns its buffers to the pool. The reader may still be parsing the buffer of its
        // last read, when a dispose or a failed write runs on another thread or an abort runs inside the parse. It
        // would then walk freed segments, so the reader's AdvanceTo completes the pipe instead.
        bool completeInput;
        lock (_inputGate)
        {
            completeInput = !_holdingBuffer;
            _inputCompletionDeferred = _holdingBuffer;
        }

        if (completeInput)
        {
            CompleteQuietly(Input);
        }

        CompleteQuietly(Output);
    }

    private static void CompleteQuietly(PipeReader reader)
    {
        try
        {
            reader.Complete();
        }
        catch (InvalidOperationException)
        {
            // A read is still pending on another thread; the disposed socket ends it.
        }
    }

    private static void CompleteQuietly(PipeWriter writer)
    {
        try
        {
            writer.Complete();
        }
        catch (InvalidOperationException)
        {
            // A flush is still pending on another thread, or the stream is already disposed.
        }
        catch (IOException)
        {
            // Completing flushes unsent bytes, which fails on a closed socket; they are not needed any more.
        }
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new MailProtocolException(
                ProtocolErrorReason.ConnectionBroken,
                "The connection is closed after an earlier failure or disposal; open a new connection.");
        }
    }
}
