using System.Threading.Channels;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

/// <summary>What one running command collects and how it wants untagged data and streamed literals handled.</summary>
internal sealed class CommandContext
{
    public CommandContext(ImapCommand command)
    {
        Command = command;
    }

    public ImapCommand Command { get; }

    /// <summary>The untagged responses routed to this command, in server order.</summary>
    public List<ImapResponse> Untagged { get; } = [];

    /// <summary>LOGOUT expects the server's BYE; any other command fails on it.</summary>
    public bool ExpectsBye { get; init; }

    /// <summary>Where a streamed FETCH body goes; null keeps it in memory.</summary>
    public Stream? LiteralTarget { get; init; }

    /// <summary>When set, untagged responses go here instead of <see cref="Untagged"/>.</summary>
    public Action<ImapResponse>? OnUntagged { get; init; }

    /// <summary>When set, FETCH responses are written here as they arrive, waiting while the channel is full.</summary>
    public ChannelWriter<FetchResponse>? FetchSink { get; init; }

    /// <summary>Canceled when the consumer of <see cref="FetchSink"/> stops reading.</summary>
    public CancellationToken FetchSinkStopped { get; init; }

    /// <summary>What may run alongside the command; null takes the rules of its name.</summary>
    public PipelineRules? Rules { get; set; }

    /// <summary>Runs just before the command is written, once every conflicting command has completed.</summary>
    public Action? OnSending { get; init; }

    /// <summary>
    /// Runs on the reader when the tagged completion arrives, also when the caller stopped waiting, so that session
    /// state follows the server.
    /// </summary>
    public Action<TaggedCompletion>? OnCompleted { get; init; }

    /// <summary>
    /// Keeps later commands waiting after the completion until the caller releases the command, for STARTTLS and
    /// COMPRESS, which change the connection before anything more is read or written.
    /// </summary>
    public bool HoldsAfterCompletion { get; init; }

    /// <summary>The IDLE state when this is an IDLE command: the reader waits for data without the timeout.</summary>
    public ImapClient.IdleDone? Idle { get; init; }

    public TaggedCompletion? Completion { get; set; }

    public IEnumerable<T> OfType<T>()
        where T : ImapResponse
    {
        return Untagged.OfType<T>();
    }
}
