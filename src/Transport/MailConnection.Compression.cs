namespace RawMail.Transport;

public sealed partial class MailConnection
{
    private DeflateDuplexStream? _compressionStream;

    /// <summary>True once <see cref="StartCompressionAsync"/> switched the connection to deflate.</summary>
    public bool IsCompressed => _compressionStream is not null;

    /// <summary>
    /// Switches both directions to raw deflate (IMAP COMPRESS=DEFLATE, RFC 4978 section 3) after the server
    /// accepted the command. Call it after the tagged OK was consumed with <see cref="AdvanceTo"/> or
    /// <see cref="ReadAsync{TResult}"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="Input"/> and <see cref="Output"/> are replaced by pipes over the deflate stream, which sits on the
    /// TLS stream when there is one, so data is compressed before it is encrypted (RFC 4978). The protocol log keeps
    /// showing the uncompressed bytes, because it is fed from the pipes.
    /// </remarks>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.UnexpectedResponse"/>: bytes after the server's OK were already read as plain
    /// text, so they cannot be inflated and the connection is closed.
    /// </exception>
    /// <exception cref="InvalidOperationException">Compression is already active.</exception>
    public async ValueTask StartCompressionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (IsCompressed)
        {
            throw new InvalidOperationException("The connection is already compressed.");
        }

        if (_unconsumedBytes > 0 || HasBufferedInput())
        {
            Abort(
                ProtocolErrorReason.UnexpectedResponse,
                "The server sent data after accepting compression that was read before compression started, so "
                    + "the connection was closed without reading it.");
        }

        // Only the buffers are released: the pipes leave the stream below them open.
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);

        _compressionStream = new DeflateDuplexStream(_sslStream is null ? _networkStream : _sslStream);
        CreatePipes(_compressionStream);
    }
}
