using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>
    /// Lists mailboxes that match <paramref name="pattern"/> (RFC 9051 section 6.3.9). With SPECIAL-USE
    /// (RFC 6154) the special-use attributes are asked for under LIST-EXTENDED (RFC 5258).
    /// </summary>
    public async Task<IReadOnlyList<MailboxInfo>> ListAsync(string pattern = "*", string reference = "",
        CancellationToken cancellationToken = default)
    {
        ImapCommand command = NewCommand("LIST").Space();
        AppendPattern(command, reference).Space();
        AppendPattern(command, pattern);
        if (HasCapability("LIST-EXTENDED") && HasCapability("SPECIAL-USE"))
        {
            command.AppendRaw(" RETURN (SPECIAL-USE)");
        }

        CommandContext context = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return [.. context.OfType<MailboxInfo>()];
    }

    /// <summary>Lists the subscribed mailboxes with LSUB (RFC 3501 section 6.3.9).</summary>
    public async Task<IReadOnlyList<MailboxInfo>> ListSubscribedAsync(string pattern = "*", string reference = "",
        CancellationToken cancellationToken = default)
    {
        ImapCommand command = NewCommand("LSUB").Space();
        AppendPattern(command, reference).Space();
        AppendPattern(command, pattern);
        CommandContext context = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return [.. context.OfType<MailboxInfo>()];
    }

    /// <summary>
    /// Returns the status of every selectable mailbox that matches <paramref name="pattern"/>: in one LIST when
    /// the server offers LIST-STATUS (RFC 5819), else with LIST and one STATUS per mailbox.
    /// </summary>
    public async Task<IReadOnlyList<MailboxStatus>> ListStatusAsync(string pattern, StatusItems items,
        CancellationToken cancellationToken = default)
    {
        if (!HasCapability("LIST-STATUS"))
        {
            IReadOnlyList<MailboxInfo> mailboxes = await ListAsync(pattern, cancellationToken: cancellationToken)
                .ConfigureAwait(false);

            // The STATUS commands are pipelined: each one's data names its mailbox.
            return await Task.WhenAll(mailboxes
                .Where(static m => (m.Attributes & (MailboxAttributes.NoSelect | MailboxAttributes.NonExistent)) == 0)
                .Select(m => GetStatusAsync(m.Name, items, cancellationToken))).ConfigureAwait(false);
        }

        ImapCommand command = NewCommand("LIST").AppendRaw(" \"\" ");
        AppendPattern(command, pattern).AppendRaw(" RETURN (STATUS " + StatusItemsText.Format(items) + ")");
        var context = new CommandContext(command)
        {
            Rules = new PipelineRules { Results = ResultKind.List, ListsStatus = true },
        };
        await ExecuteAsync(command, cancellationToken, context).ConfigureAwait(false);
        return [.. context.OfType<MailboxStatus>()];
    }

    /// <summary>Returns the STATUS of one mailbox (RFC 9051 section 6.3.11).</summary>
    public async Task<MailboxStatus> GetStatusAsync(string mailbox, StatusItems items = StatusItems.Default,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ImapCommand command = NewCommand("STATUS").Space().AppendMailbox(mailbox).Space()
            .AppendRaw(StatusItemsText.Format(items));
        var context = new CommandContext(command) { Rules = PipelineRules.ForStatus(EncodeMailbox(mailbox)) };
        await ExecuteAsync(command, cancellationToken, context).ConfigureAwait(false);
        return context.OfType<MailboxStatus>().LastOrDefault() ?? new MailboxStatus(mailbox, EncodeMailbox(mailbox));
    }

    /// <summary>
    /// Selects a mailbox read-write (RFC 9051 section 6.3.2). <paramref name="condStore"/> adds the CONDSTORE
    /// parameter (RFC 7162 section 3.1.8) so the server reports HIGHESTMODSEQ.
    /// </summary>
    public Task<SelectedMailbox> SelectAsync(string mailbox, bool condStore = false,
        CancellationToken cancellationToken = default)
    {
        return SelectCoreAsync("SELECT", mailbox, condStore, cancellationToken);
    }

    /// <summary>
    /// Selects a mailbox and resynchronizes with QRESYNC (RFC 7162 section 3.2.5): the server reports the messages
    /// expunged since <see cref="QResyncParameters.ModSeq"/> with <see cref="Vanished"/> (EARLIER) and the changed
    /// flags with <see cref="FlagsChanged"/>. Enable QRESYNC with <see cref="EnableAsync"/> first.
    /// </summary>
    public Task<SelectedMailbox> SelectAsync(string mailbox, QResyncParameters qresync,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(qresync);
        if (!_enabled.Contains("QRESYNC"))
        {
            throw new InvalidOperationException("Enable QRESYNC with EnableAsync before selecting with it.");
        }

        return SelectCoreAsync("SELECT", mailbox, false, cancellationToken, qresync.Format());
    }

    /// <summary>Selects a mailbox read-only with EXAMINE (RFC 9051 section 6.3.3).</summary>
    public Task<SelectedMailbox> ExamineAsync(string mailbox, bool condStore = false,
        CancellationToken cancellationToken = default)
    {
        return SelectCoreAsync("EXAMINE", mailbox, condStore, cancellationToken);
    }

    private async Task<SelectedMailbox> SelectCoreAsync(string verb, string mailbox, bool condStore,
        CancellationToken cancellationToken, string? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ImapCommand command = NewCommand(verb).Space().AppendMailbox(mailbox);
        if (parameters is not null)
        {
            command.AppendRaw(" " + parameters);
        }
        else if (condStore && HasCapability("CONDSTORE"))
        {
            command.AppendRaw(" (CONDSTORE)");
        }

        var selecting = new SelectedMailbox(mailbox, EncodeMailbox(mailbox), verb == "EXAMINE");
        var context = new CommandContext(command)
        {
            // RFC 9051 section 6.3.2: a SELECT deselects the current mailbox at once, even when it fails. The
            // commands before it have completed by now, so their data still went to the old mailbox.
            OnSending = () =>
            {
                Selected = null;
                State = ImapSessionState.Authenticated;
                _selecting = selecting;
            },
            OnCompleted = completion =>
            {
                _selecting = null;
                if (completion.Status == ImapResponseStatus.Ok)
                {
                    Selected = selecting;
                    State = ImapSessionState.Selected;
                }
            },
        };
        await ExecuteAsync(command, cancellationToken, context).ConfigureAwait(false);
        return selecting;
    }

    public Task CreateMailboxAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        return RunMailboxCommandAsync("CREATE", mailbox, cancellationToken);
    }

    public Task DeleteMailboxAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        return RunMailboxCommandAsync("DELETE", mailbox, cancellationToken);
    }

    public Task SubscribeAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        return RunMailboxCommandAsync("SUBSCRIBE", mailbox, cancellationToken);
    }

    public Task UnsubscribeAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        return RunMailboxCommandAsync("UNSUBSCRIBE", mailbox, cancellationToken);
    }

    public async Task RenameMailboxAsync(string mailbox, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(newName);
        ImapCommand command = NewCommand("RENAME").Space().AppendMailbox(mailbox).Space().AppendMailbox(newName);
        await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the server for a checkpoint of the selected mailbox (RFC 3501 section 6.4.1).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(new ImapCommand("CHECK"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the selected mailbox, expunging messages marked \Deleted (RFC 9051 section 6.4.1).</summary>
    public Task CloseAsync(CancellationToken cancellationToken = default)
    {
        return DeselectAsync("CLOSE", cancellationToken);
    }

    /// <summary>Closes the selected mailbox without expunging (RFC 3691).</summary>
    public Task UnselectAsync(CancellationToken cancellationToken = default)
    {
        return DeselectAsync("UNSELECT", cancellationToken);
    }

    private async Task DeselectAsync(string verb, CancellationToken cancellationToken)
    {
        var context = new CommandContext(new ImapCommand(verb))
        {
            OnCompleted = completion =>
            {
                if (completion.Status == ImapResponseStatus.Ok)
                {
                    Selected = null;
                    State = ImapSessionState.Authenticated;
                }
            },
        };
        await ExecuteAsync(context.Command, cancellationToken, context).ConfigureAwait(false);
    }

    private async Task RunMailboxCommandAsync(string verb, string mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        await ExecuteAsync(NewCommand(verb).Space().AppendMailbox(mailbox), cancellationToken).ConfigureAwait(false);
    }

    private ImapCommand AppendPattern(ImapCommand command, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return command.AppendString(IsUtf8Enabled ? pattern : ModifiedUtf7.Encode(pattern));
    }

    private string EncodeMailbox(string name)
    {
        return NewCommand("X").EncodeMailbox(name);
    }

    /// <summary>
    /// Remembers the wire form of a listed mailbox whose name is not in canonical modified UTF-7, so that later
    /// commands name it with the server's bytes.
    /// </summary>
    private void RememberWireName(string name, string encodedName)
    {
        if (IsUtf8Enabled || ModifiedUtf7.Encode(name) == encodedName)
        {
            _wireNames.TryRemove(name, out _);
        }
        else
        {
            _wireNames[name] = encodedName;
        }
    }
}
