using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>Sends NOOP, which also collects any pending untagged data (RFC 9051 section 6.1.2).</summary>
    public async Task NoopAsync(CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(new ImapCommand("NOOP"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the session (RFC 9051 section 6.1.3). A tagged BYE instead of the tagged OK, or the server closing the
    /// connection after its BYE, counts as success.
    /// </summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_connection.IsClosed)
        {
            State = ImapSessionState.LoggedOut;
            return;
        }

        var context = new CommandContext(new ImapCommand("LOGOUT")) { ExpectsBye = true };
        try
        {
            await ExecuteAsync(context.Command, cancellationToken, context).ConfigureAwait(false);
        }
        catch (MailProtocolException ex) when (ex.Reason == ProtocolErrorReason.ConnectionClosed
            && State == ImapSessionState.LoggedOut)
        {
            // The server closed the connection after its untagged BYE without the tagged completion.
        }

        State = ImapSessionState.LoggedOut;
        Selected = null;
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Enables extensions (RFC 5161), for example CONDSTORE, QRESYNC or UTF8=ACCEPT, and returns those the server
    /// confirmed. Names the server does not announce are left out.
    /// </summary>
    public async Task<IReadOnlySet<string>> EnableAsync(IEnumerable<string> extensions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        string[] wanted = [.. extensions.Where(HasCapability)];
        if (wanted.Length == 0 || !HasCapability("ENABLE"))
        {
            return _enabled;
        }

        var command = new ImapCommand("ENABLE");
        foreach (string extension in wanted)
        {
            ThrowIfNotAtom(extension, nameof(extensions));
            command.Space().AppendRaw(extension);
        }

        await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return _enabled;
    }

    /// <summary>
    /// Exchanges client and server identification (RFC 2971) and returns the server's fields; null sends NIL.
    /// </summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string?>>> IdAsync(
        IReadOnlyDictionary<string, string?>? clientFields = null,
        CancellationToken cancellationToken = default)
    {
        var command = new ImapCommand("ID").Space();
        if (clientFields is null || clientFields.Count == 0)
        {
            command.AppendRaw("NIL");
        }
        else
        {
            command.AppendRaw("(");
            bool first = true;
            foreach ((string key, string? value) in clientFields)
            {
                if (!first)
                {
                    command.Space();
                }

                first = false;
                command.AppendString(key).Space();
                if (value is null)
                {
                    command.AppendRaw("NIL");
                }
                else
                {
                    command.AppendString(value);
                }
            }

            command.AppendRaw(")");
        }

        CommandContext context = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return context.OfType<IdResponse>().LastOrDefault()?.Fields ?? [];
    }

    /// <summary>Returns the personal, other users' and shared namespaces (RFC 2342).</summary>
    public async Task<NamespaceResponse?> GetNamespacesAsync(CancellationToken cancellationToken = default)
    {
        CommandContext context = await ExecuteAsync(new ImapCommand("NAMESPACE"), cancellationToken)
            .ConfigureAwait(false);
        return context.OfType<NamespaceResponse>().LastOrDefault();
    }

    private ImapCommand NewCommand(string name)
    {
        return new ImapCommand(name) { Utf8 = IsUtf8Enabled, WireNames = _wireNames };
    }

    private static void ThrowIfNotAtom(string value, string paramName)
    {
        if (!ImapQuoting.IsAtom(value))
        {
            throw new ArgumentException($"'{ProtocolText.Escape(value, 64)}' is not an IMAP atom.", paramName);
        }
    }
}
