using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

public sealed partial class SmtpClient
{
    /// <summary>Sends NOOP (RFC 5321 section 4.1.1.9), for example to keep an idle connection open.</summary>
    /// <exception cref="SmtpCommandException">The server replied with 4xx or 5xx.</exception>
    public async ValueTask<SmtpReply> NoopAsync(CancellationToken cancellationToken = default)
    {
        using OperationScope operation = BeginOperation();
        SmtpReply reply = await ExecuteAsync("NOOP", cancellationToken).ConfigureAwait(false);
        return EnsurePositive(reply, "NOOP");
    }

    /// <summary>Sends RSET (RFC 5321 section 4.1.1.5), which aborts the current mail transaction.</summary>
    /// <exception cref="SmtpCommandException">The server replied with 4xx or 5xx.</exception>
    public async ValueTask<SmtpReply> ResetAsync(CancellationToken cancellationToken = default)
    {
        using OperationScope operation = BeginOperation();
        SmtpReply reply = await ExecuteAsync("RSET", cancellationToken).ConfigureAwait(false);
        return EnsurePositive(reply, "RSET");
    }

    /// <summary>
    /// Sends QUIT (RFC 5321 section 4.1.1.10), reads the 221 reply and closes the connection. A server that closes
    /// the connection without replying is accepted.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another operation is still running.</exception>
    public async ValueTask QuitAsync(CancellationToken cancellationToken = default)
    {
        if (_quitSent || _connection.IsClosed)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            return;
        }

        using OperationScope operation = BeginOperation();
        _quitSent = true;
        try
        {
            _connection.WriteLine("QUIT");
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _connection.ReadAsync(_replyParser, cancellationToken).ConfigureAwait(false);
        }
        catch (MailProtocolException ex) when (ex.Reason is ProtocolErrorReason.ConnectionClosed)
        {
            // The session is over either way.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<SmtpReply> ExecuteAsync(string command, CancellationToken cancellationToken)
    {
        _connection.WriteLine(command);
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one reply. A 421 reply to any command means the server is closing the session (RFC 5321
    /// section 3.8), so the connection is closed and the caller gets a protocol error, never a command failure.
    /// </summary>
    private async ValueTask<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        SmtpReply reply = await _connection.ReadAsync(_replyParser, cancellationToken).ConfigureAwait(false);
        if (reply.Code == 421)
        {
            _connection.Abort(
                ProtocolErrorReason.ServerShutdown,
                "The server is closing the session (421): " + Escape(reply));
        }

        return reply;
    }

    private static SmtpReply EnsurePositive(SmtpReply reply, string command)
    {
        if (!reply.IsPositiveCompletion)
        {
            throw new SmtpCommandException($"{command} failed", reply);
        }

        return reply;
    }

    private static MailCommandException NotSupported(string message) =>
        new(CommandErrorReason.NotSupported, message, ReadOnlySpan<byte>.Empty);

    private static string Escape(SmtpReply reply) =>
        ProtocolText.Escape(Encoding.UTF8.GetBytes(reply.ToString()), MailCommandException.MaxResponseTextLength);
}
