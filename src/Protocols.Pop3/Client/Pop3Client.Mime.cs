using System.IO.Pipelines;
using RawMail.Mime;

namespace RawMail.Protocols.Pop3;

public sealed partial class Pop3Client
{
    /// <summary>
    /// Retrieves a message with RETR and parses it into a <see cref="MimeMessage"/> while it downloads. The caller
    /// disposes the result, which removes any temporary files the parser created for large parts.
    /// </summary>
    /// <param name="number">The message number.</param>
    /// <param name="parserOptions">Limits for the parser; null uses the defaults.</param>
    /// <param name="cancellationToken">Cancels the download and the parse; cancellation closes the connection.</param>
    /// <exception cref="MimeParseException">
    /// The message exceeds a hard limit of <paramref name="parserOptions"/>. The rest of the message is still read
    /// from the server, so the connection stays usable.
    /// </exception>
    /// <inheritdoc cref="RetrieveAsync(int, Stream, CancellationToken)"/>
    public async Task<MimeMessage> RetrieveMessageAsync(
        int number,
        MimeParserOptions? parserOptions,
        CancellationToken cancellationToken)
    {
        ThrowIfInvalidMessageNumber(number);

        // The pipe's back pressure bounds the bytes held between the download and the parser.
        var pipe = new Pipe();
        Task<MimeMessage> parse = ParseFromPipeAsync(pipe.Reader, parserOptions, cancellationToken);
        try
        {
            await RetrieveAsync(number, pipe.Writer, cancellationToken).ConfigureAwait(false);
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Completing without the exception lets the parser finish on what it has, and its result is dropped.
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            await DisposeQuietlyAsync(parse).ConfigureAwait(false);
            throw;
        }

        return await parse.ConfigureAwait(false);
    }

    /// <summary>
    /// Parses from the pipe and completes its reader, so a failed parse stops back pressure on the download.
    /// </summary>
    private static async Task<MimeMessage> ParseFromPipeAsync(
        PipeReader reader,
        MimeParserOptions? options,
        CancellationToken cancellationToken)
    {
        try
        {
            return await MimeParser.ParseAsync(reader, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    // The download failed, so the parse result, or the parse's own failure, is of no use.
    private static async Task DisposeQuietlyAsync(Task<MimeMessage> parse)
    {
        try
        {
            MimeMessage message = await parse.ConfigureAwait(false);
            message.Dispose();
        }
        catch (Exception ex) when (ex is MimeParseException or IOException or OperationCanceledException)
        {
            // The download's exception is the one the caller receives.
        }
    }
}
