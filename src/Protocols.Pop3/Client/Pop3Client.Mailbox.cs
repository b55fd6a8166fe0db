using System.Globalization;

namespace RawMail.Protocols.Pop3;

public sealed partial class Pop3Client
{
    /// <summary>
    /// Returns the number and total size of the messages not marked deleted (STAT, RFC 1939 section 5).
    /// </summary>
    public async Task<StatResult> GetStatusAsync(CancellationToken cancellationToken)
    {
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        Pop3Reply reply = await ExecuteAsync("STAT", "STAT", cancellationToken).ConfigureAwait(false);
        return ParseReplyText(reply, static text => Pop3ListingParser.ParseStat(text));
    }

    /// <summary>Lists the number and size of every message not marked deleted (LIST, RFC 1939 section 5).</summary>
    public async Task<IReadOnlyList<Pop3MessageInfo>> ListAsync(CancellationToken cancellationToken)
    {
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        await ExecuteAsync("LIST", "LIST", cancellationToken).ConfigureAwait(false);
        return await ReadListingAsync(Pop3ListingParser.ParseScanListing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the size of one message (LIST n).</summary>
    /// <exception cref="Pop3CommandException">No such message, or it is marked deleted.</exception>
    public async Task<Pop3MessageInfo> ListAsync(int number, CancellationToken cancellationToken)
    {
        ThrowIfInvalidMessageNumber(number);
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        Pop3Reply reply = await ExecuteAsync(NumberedCommand("LIST", number), "LIST", cancellationToken)
            .ConfigureAwait(false);
        return await ReadSingleScanListingAsync(reply, number, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the unique id of every message not marked deleted (UIDL, RFC 1939 section 7).</summary>
    public async Task<IReadOnlyList<Pop3UniqueId>> GetUniqueIdsAsync(CancellationToken cancellationToken)
    {
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        await ExecuteAsync("UIDL", "UIDL", cancellationToken).ConfigureAwait(false);
        return await ReadListingAsync(Pop3ListingParser.ParseUniqueIdListing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the unique id of one message (UIDL n).</summary>
    /// <exception cref="Pop3CommandException">No such message, or it is marked deleted.</exception>
    public async Task<Pop3UniqueId> GetUniqueIdAsync(int number, CancellationToken cancellationToken)
    {
        ThrowIfInvalidMessageNumber(number);
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        Pop3Reply reply = await ExecuteAsync(NumberedCommand("UIDL", number), "UIDL", cancellationToken)
            .ConfigureAwait(false);
        return await ReadSingleUniqueIdAsync(reply, number, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks a message for deletion (DELE, RFC 1939 section 5). The server removes it only when
    /// <see cref="QuitAsync"/> succeeds; <see cref="ResetAsync"/> unmarks it, and a session that ends any other
    /// way removes nothing.
    /// </summary>
    /// <exception cref="Pop3CommandException">No such message, or it is already marked deleted.</exception>
    public async Task DeleteAsync(int number, CancellationToken cancellationToken)
    {
        ThrowIfInvalidMessageNumber(number);
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        await ExecuteAsync(NumberedCommand("DELE", number), "DELE", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unmarks every message marked for deletion in this session (RSET, RFC 1939 section 5).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        await ExecuteAsync("RSET", "RSET", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends NOOP (RFC 1939 section 5), for example to keep the session from timing out.</summary>
    public async Task NoopAsync(CancellationToken cancellationToken)
    {
        using OperationScope operation = BeginOperation(requiresTransaction: true);
        await ExecuteAsync("NOOP", "NOOP", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the session with QUIT and closes the connection. In the TRANSACTION state the server now removes the
    /// messages marked for deletion (the UPDATE state, RFC 1939 section 6).
    /// </summary>
    /// <exception cref="Pop3CommandException">
    /// The server replied -ERR because it could not remove some of the marked messages. The connection is closed
    /// anyway.
    /// </exception>
    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        Pop3Reply reply;
        using (BeginOperation(requiresTransaction: false))
        {
            try
            {
                reply = await SendAsync("QUIT", cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await DisposeAsync().ConfigureAwait(false);
            }
        }

        if (!reply.IsOk)
        {
            throw CommandFailed("QUIT", reply);
        }
    }

    private async ValueTask<Pop3MessageInfo> ReadSingleScanListingAsync(
        Pop3Reply reply,
        int number,
        CancellationToken cancellationToken)
    {
        (bool parsed, Pop3MessageInfo info) = ParseReplyText(
            reply,
            text => (Pop3ListingParser.TryParseSingleScanListing(text, number, out Pop3MessageInfo result), result));
        if (parsed)
        {
            return info;
        }

        // Note: a bare "+OK" means the server sends a whole listing where RFC 1939 gives one line. Reading the
        // listing to its end keeps the next reply in step.
        List<Pop3MessageInfo> items = await ReadListingAsync(Pop3ListingParser.ParseScanListing, cancellationToken)
            .ConfigureAwait(false);
        return FindInListing(items, item => item.Number == number, "LIST", number);
    }

    private async ValueTask<Pop3UniqueId> ReadSingleUniqueIdAsync(
        Pop3Reply reply,
        int number,
        CancellationToken cancellationToken)
    {
        (bool parsed, Pop3UniqueId uniqueId) = ParseReplyText(
            reply,
            text => (Pop3ListingParser.TryParseSingleUniqueId(text, number, out Pop3UniqueId result), result));
        if (parsed)
        {
            return uniqueId;
        }

        // Note: as with LIST n, a bare "+OK" introduces a whole listing on some servers.
        List<Pop3UniqueId> items = await ReadListingAsync(Pop3ListingParser.ParseUniqueIdListing, cancellationToken)
            .ConfigureAwait(false);
        return FindInListing(items, item => item.Number == number, "UIDL", number);
    }

    private T FindInListing<T>(List<T> items, Predicate<T> match, string command, int number)
    {
        int index = items.FindIndex(match);
        if (index < 0)
        {
            _connection.Abort(
                Transport.ProtocolErrorReason.UnexpectedResponse,
                $"The server answered {command} {number} with a listing that does not contain message {number}.");
        }

        return items[index];
    }

    /// <summary>
    /// Parses the text of a status line that was already consumed. A malformed text closes the connection, as
    /// every <see cref="Transport.MailProtocolException"/> does, because the session state is then unknown.
    /// </summary>
    private T ParseReplyText<T>(Pop3Reply reply, ReplyTextParser<T> parse)
    {
        try
        {
            return parse(reply.TextBytes);
        }
        catch (Transport.MailProtocolException ex)
        {
            _connection.Abort(ex.Reason, ex.Message, ex);
            throw;
        }
    }

    private delegate T ReplyTextParser<T>(ReadOnlySpan<byte> text);

    private static string NumberedCommand(string keyword, int number) =>
        keyword + " " + number.ToString(CultureInfo.InvariantCulture);
}
