using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>True once <see cref="CompressAsync"/> switched the connection to deflate.</summary>
    public bool IsCompressed => _connection.IsCompressed;

    /// <summary>
    /// Sends COMPRESS DEFLATE and, once the server accepted it, compresses both directions (RFC 4978 section 3).
    /// Call it after authentication: the server may offer COMPRESS=DEFLATE only then.
    /// </summary>
    /// <exception cref="MailCommandException">
    /// <see cref="CommandErrorReason.NotSupported"/>: the server does not offer COMPRESS=DEFLATE.
    /// </exception>
    /// <exception cref="ImapCommandException">The server rejected the command with NO or BAD.</exception>
    /// <exception cref="InvalidOperationException">Compression is already active.</exception>
    public async Task CompressAsync(CancellationToken cancellationToken = default)
    {
        if (IsCompressed)
        {
            throw new InvalidOperationException("The connection is already compressed.");
        }

        if (!HasCapability("COMPRESS=DEFLATE"))
        {
            throw new MailCommandException(CommandErrorReason.NotSupported,
                "The server does not offer COMPRESS=DEFLATE", "COMPRESS"u8);
        }

        var context = new CommandContext(new ImapCommand("COMPRESS").Space().AppendRaw("DEFLATE"))
        {
            HoldsAfterCompletion = true,
        };
        PendingCommand pending = Submit(context);
        try
        {
            await RunAsync(pending, cancellationToken).ConfigureAwait(false);
            if (context.Completion!.Status == ImapResponseStatus.Ok)
            {
                // The server compresses everything after its OK, so nothing may be read before the switch.
                await WaitForReaderStoppedAsync().ConfigureAwait(false);
                await _connection.StartCompressionAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        finally
        {
            Release(pending);
        }

        ThrowIfFailed(context);
        _connection.Abort(ProtocolErrorReason.UnexpectedResponse,
            "The server answered COMPRESS with a tagged BYE.");
    }
}
