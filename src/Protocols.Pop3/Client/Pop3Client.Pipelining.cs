using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

public sealed partial class Pop3Client
{
    // Commands sent before reading their replies. A client that writes more than the server's receive buffer holds,
    // while the server waits for its replies to be read, deadlocks both sides. 32 short commands stay far below that.
    private const int MaxPipelinedCommands = 32;

    /// <summary>
    /// Returns the sizes of several messages with LIST n, sent as one batch when the server advertises
    /// PIPELINING (RFC 2449 section 6.6) and one by one otherwise. Results are in the order of
    /// <paramref name="numbers"/>.
    /// </summary>
    /// <exception cref="Pop3CommandException">
    /// The server rejected one of the commands; the first rejection is thrown after every reply was read.
    /// </exception>
    public async Task<IReadOnlyList<Pop3MessageInfo>> ListAsync(
        IReadOnlyList<int> numbers,
        CancellationToken cancellationToken)
    {
        var results = new List<Pop3MessageInfo>(numbers?.Count ?? 0);
        await ExecuteBatchAsync(
                "LIST",
                numbers!,
                async (number, reply) => results.Add(
                    await ReadSingleScanListingAsync(reply, number, cancellationToken).ConfigureAwait(false)),
                cancellationToken)
            .ConfigureAwait(false);
        return results;
    }

    /// <summary>Returns the unique ids of several messages with UIDL n, pipelined when the server allows it.</summary>
    /// <inheritdoc cref="ListAsync(IReadOnlyList{int}, CancellationToken)"/>
    public async Task<IReadOnlyList<Pop3UniqueId>> GetUniqueIdsAsync(
        IReadOnlyList<int> numbers,
        CancellationToken cancellationToken)
    {
        var results = new List<Pop3UniqueId>(numbers?.Count ?? 0);
        await ExecuteBatchAsync(
                "UIDL",
                numbers!,
                async (number, reply) => results.Add(
                    await ReadSingleUniqueIdAsync(reply, number, cancellationToken).ConfigureAwait(false)),
                cancellationToken)
            .ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Marks several messages for deletion with DELE n, pipelined when the server allows it. As with
    /// <see cref="DeleteAsync(int, CancellationToken)"/>, nothing is removed before <see cref="QuitAsync"/>.
    /// </summary>
    /// <exception cref="Pop3CommandException">
    /// The server rejected one of the commands; the other messages stay marked.
    /// </exception>
    public Task DeleteAsync(IReadOnlyList<int> numbers, CancellationToken cancellationToken) =>
        ExecuteBatchAsync("DELE", numbers, (_, _) => ValueTask.CompletedTask, cancellationToken);

    /// <summary>
    /// Retrieves several messages with RETR n, pipelined when the server allows it, and writes each to the stream
    /// that <paramref name="destinationFor"/> returns for its number. The client does not dispose the streams.
    /// </summary>
    /// <exception cref="Pop3CommandException">
    /// The server rejected one of the commands; the other messages were still written.
    /// </exception>
    public Task RetrieveAsync(
        IReadOnlyList<int> numbers,
        Func<int, Stream> destinationFor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destinationFor);
        return ExecuteBatchAsync(
            "RETR",
            numbers,
            async (number, _) =>
            {
                Stream destination = destinationFor(number)
                    ?? throw new InvalidOperationException($"The destination for message {number} is null.");
                await ReadMessageBodyAsync(MessageSink.For(destination), cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>
    /// Sends "keyword n" for each number with at most <see cref="MaxPipelinedCommands"/> unanswered (or one at a time
    /// without PIPELINING) and hands each +OK to <paramref name="onSuccess"/> in order, so multi-line replies are read
    /// before the next status line.
    /// </summary>
    private async Task ExecuteBatchAsync(
        string keyword,
        IReadOnlyList<int> numbers,
        Func<int, Pop3Reply, ValueTask> onSuccess,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        foreach (int number in numbers)
        {
            ThrowIfInvalidMessageNumber(number, nameof(numbers));
        }

        using OperationScope operation = BeginOperation(requiresTransaction: true);
        Pop3CommandException? firstFailure;
        try
        {
            firstFailure = await RunBatchAsync(keyword, numbers, onSuccess, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MailProtocolException && !_connection.IsClosed)
        {
            // Replies to the rest of the batch are still on the connection, so it cannot be used again.
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (firstFailure is not null)
        {
            throw firstFailure;
        }
    }

    // Sends the batch and reads every reply in order; returns the first rejection instead of throwing it, so the
    // remaining replies are read first. With PIPELINING the window slides: each reply read in full makes room for
    // the next command, so the server does not sit idle while the client drains a whole window.
    private async Task<Pop3CommandException?> RunBatchAsync(
        string keyword,
        IReadOnlyList<int> numbers,
        Func<int, Pop3Reply, ValueTask> onSuccess,
        CancellationToken cancellationToken)
    {
        int window = Capabilities.SupportsPipelining ? MaxPipelinedCommands : 1;
        int sent = 0;
        for (; sent < Math.Min(window, numbers.Count); sent++)
        {
            _connection.WriteLine(NumberedCommand(keyword, numbers[sent]));
        }

        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        Pop3CommandException? firstFailure = null;
        for (int i = 0; i < numbers.Count; i++)
        {
            Pop3Reply reply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            if (reply.IsOk)
            {
                await onSuccess(numbers[i], reply).ConfigureAwait(false);
            }
            else
            {
                firstFailure ??= new Pop3CommandException(
                    keyword,
                    reply.Code,
                    $"The server rejected {NumberedCommand(keyword, numbers[i])}",
                    reply.TextBytes);
            }

            if (sent < numbers.Count)
            {
                _connection.WriteLine(NumberedCommand(keyword, numbers[sent++]));
                await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return firstFailure;
    }
}
