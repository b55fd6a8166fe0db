using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>
    /// Writes a body section of the message with <paramref name="uid"/> to <paramref name="destination"/> without
    /// keeping it in memory: a payload at or above <see cref="Parsing.ImapParserOptions.StreamingThreshold"/> goes
    /// from the connection's buffers to the stream chunk by chunk. \Seen is left unchanged (BODY.PEEK).
    /// </summary>
    /// <returns>The number of octets written.</returns>
    /// <exception cref="ImapCommandException">The server has no such message or section.</exception>
    public async Task<long> DownloadBodyAsync(uint uid, Stream destination, string section = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var request = new FetchRequest(FetchItems.Uid, new FetchBodyRequest(section));
        var fetches = new List<FetchResponse>();
        var context = new CommandContext(BuildFetch(SequenceSet.Of(uid), request, uid: true))
        {
            Rules = PipelineRules.ForMessages(SequenceSet.Of(uid), uid: true, streamsBody: true),
            LiteralTarget = destination,
            OnUntagged = response =>
            {
                if (response is FetchResponse { Sections.Count: > 0 } fetch)
                {
                    fetches.Add(fetch);
                }
            },
        };
        await ExecuteAsync(context.Command, cancellationToken, context).ConfigureAwait(false);

        FetchBodySection? body = fetches.Where(f => f.Uid == uid || f.Uid is null)
            .SelectMany(static f => f.Sections).FirstOrDefault();
        if (body is null)
        {
            throw new ImapCommandException(CommandErrorReason.No, $"The server sent no body for UID {uid}",
                string.Empty, null);
        }

        if (!body.IsStreamed && body.Data is { } data)
        {
            await destination.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }

        return body.Length;
    }
}
