using System.Threading.Channels;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

/// <summary>
/// One command from submission to completion: queued, admitted (given its tag), written, and completed by the
/// reader. The engine's fields are changed under the client's gate; the tasks carry the outcome to the caller.
/// </summary>
internal sealed class PendingCommand
{
    private volatile bool _abandoned;

    public PendingCommand(CommandContext context, PipelineRules rules)
    {
        Context = context;
        Rules = rules;
        Node = new LinkedListNode<PendingCommand>(this);
    }

    public CommandContext Context { get; }

    public PipelineRules Rules { get; }

    public string Name => Context.Command.Name;

    /// <summary>The node in the admission queue while the command waits there.</summary>
    public LinkedListNode<PendingCommand> Node { get; }

    /// <summary>Assigned at admission, so tags follow the order in which commands are sent.</summary>
    public string? Tag { get; set; }

    public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The previous admitted command's send turn; this command writes only after it.</summary>
    public Task PreviousSendTurn { get; set; } = Task.CompletedTask;

    /// <summary>Completed once this command no longer writes, so the next one may.</summary>
    public TaskCompletionSource SendTurn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<TaggedCompletion> Completed { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Continuation requests for a command that waits for "+"; null for all others.</summary>
    public Channel<ContinuationRequest>? Continuations { get; set; }

    /// <summary>The bytes may have reached the server, so the reader waits for the response.</summary>
    public bool AwaitingResponse { get; set; }

    /// <summary>The command wrote at least one byte, so a failure to finish writing breaks the connection.</summary>
    public bool HasWritten { get; set; }

    public bool IsCompleted { get; set; }

    /// <summary>An IDLE command after the server's "+": the reader waits without the read timeout.</summary>
    public bool IsIdling { get; set; }

    /// <summary>The caller stopped waiting; the reader still reads the completion and drops the results.</summary>
    public bool IsAbandoned => _abandoned;

    public void Abandon()
    {
        _abandoned = true;
    }
}
