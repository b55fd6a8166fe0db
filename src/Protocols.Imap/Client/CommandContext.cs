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

    /// <summary>The untagged responses received while the command ran, in server order.</summary>
    public List<ImapResponse> Untagged { get; } = [];

    /// <summary>LOGOUT expects the server's BYE; any other command fails on it.</summary>
    public bool ExpectsBye { get; init; }

    /// <summary>Where a streamed FETCH body goes; null keeps it in memory.</summary>
    public Stream? LiteralTarget { get; init; }

    /// <summary>When set, untagged responses go here instead of <see cref="Untagged"/>.</summary>
    public Action<ImapResponse>? OnUntagged { get; init; }

    public TaggedCompletion? Completion { get; set; }

    public IEnumerable<T> OfType<T>()
        where T : ImapResponse
    {
        return Untagged.OfType<T>();
    }
}
