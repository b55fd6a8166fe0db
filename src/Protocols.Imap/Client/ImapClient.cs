using System.Collections.Concurrent;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

/// <summary>The session state of RFC 9051 section 3.</summary>
public enum ImapSessionState
{
    NotAuthenticated,
    Authenticated,
    Selected,
    LoggedOut,
}

/// <summary>
/// An IMAP4rev1 client (RFC 3501, with the IMAP4rev2 rules of RFC 9051 where they agree) over one
/// <see cref="MailConnection"/>.
/// </summary>
/// <remarks>
/// Commands may be called concurrently, and they are pipelined where RFC 9051 section 5.5 allows it: for example
/// <c>Task.WhenAll(client.FetchAsync(...), client.GetStatusAsync(...))</c> sends both before either completes.
/// Commands that change the session or the connection (STARTTLS, AUTHENTICATE, LOGIN, COMPRESS, IDLE, SELECT,
/// EXAMINE, CLOSE, UNSELECT, LOGOUT, ENABLE), commands whose literal waits for "+", and commands whose results or
/// sequence numbers could be confused with those of a command in flight wait until it has completed.
/// Commands are sent in the order they were called. Untagged data updates <see cref="Selected"/> and raises the
/// events before the command it arrived with returns. Events run on the thread that reads responses, so a handler
/// must not wait for a command of this client, and an exception from a handler closes the connection and fails
/// every pending command with it. <see cref="ImapClientOptions.Pipelining"/> turns pipelining off.
/// </remarks>
public sealed partial class ImapClient : IAsyncDisposable
{
    private readonly MailConnection _connection;
    private readonly ImapClientOptions _options;
    private readonly ImapResponseParser _parser;
    private readonly ConcurrentDictionary<string, string> _wireNames = new(StringComparer.Ordinal);

    // Replaced whole, never changed in place, because callers read them while the reader applies responses.
    private volatile HashSet<string> _capabilities = new(StringComparer.OrdinalIgnoreCase);
    private volatile HashSet<string> _enabled = new(StringComparer.OrdinalIgnoreCase);
    private int _tagCounter;
    private SelectedMailbox? _selecting;

    private ImapClient(MailConnection connection, ImapClientOptions options)
    {
        _connection = connection;
        _options = options;
        _parser = new ImapResponseParser(options.Parser);
    }

    public event EventHandler<MessageExpungedEventArgs>? MessagesExpunged;

    public event EventHandler<CountChangedEventArgs>? CountChanged;

    public event EventHandler<FlagsChangedEventArgs>? FlagsChanged;

    public event EventHandler<AlertEventArgs>? Alert;

    public event EventHandler<VanishedEventArgs>? Vanished;

    public ImapSessionState State { get; private set; }

    /// <summary>The selected mailbox, or null in the authenticated state.</summary>
    public SelectedMailbox? Selected { get; private set; }

    /// <summary>The capabilities from the last CAPABILITY response or response code.</summary>
    public IReadOnlySet<string> Capabilities => _capabilities;

    /// <summary>The extensions the server confirmed with ENABLED (RFC 5161).</summary>
    public IReadOnlySet<string> Enabled => _enabled;

    /// <summary>The text of the server greeting.</summary>
    public string Greeting { get; private set; } = string.Empty;

    public bool IsConnected => !_connection.IsClosed && State != ImapSessionState.LoggedOut;

    public bool IsEncrypted => _connection.IsEncrypted;

    /// <summary>Whether mailbox names and quoted strings are UTF-8 (RFC 6855 UTF8=ACCEPT is enabled).</summary>
    public bool IsUtf8Enabled => _enabled.Contains("UTF8=ACCEPT");

    /// <summary>
    /// Connects, reads the greeting and the capabilities and, for <see cref="TlsMode.StartTls"/>, starts TLS
    /// before returning. STARTTLS never falls back to plain text.
    /// </summary>
    /// <exception cref="MailProtocolException">
    /// The connection or TLS failed, the server greeted with BYE (<see cref="ProtocolErrorReason.ServerShutdown"/>)
    /// or does not offer STARTTLS (<see cref="ProtocolErrorReason.StartTlsRefused"/>).
    /// </exception>
    public static async Task<ImapClient> ConnectAsync(ImapClientOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.IdleReissueInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AppendChunkSize, 1);
        MailConnection connection = await MailConnection.ConnectAsync(options.Connection, cancellationToken)
            .ConfigureAwait(false);
        var client = new ImapClient(connection, options);
        try
        {
            await client.ReadGreetingAsync(cancellationToken).ConfigureAwait(false);
            if (options.Connection.TlsMode == TlsMode.StartTls)
            {
                await client.StartTlsAsync(cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the connection without LOGOUT. Call <see cref="LogoutAsync"/> first for a clean end.</summary>
    public async ValueTask DisposeAsync()
    {
        State = ImapSessionState.LoggedOut;
        // Closing makes the reader's read fail, which fails every command still pending.
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Whether the server announced <paramref name="capability"/>, compared without case.</summary>
    public bool HasCapability(string capability) => _capabilities.Contains(capability);

    private async Task ReadGreetingAsync(CancellationToken cancellationToken)
    {
        // RFC 9051 section 7.1.5: the greeting is an untagged OK, PREAUTH or BYE.
        ImapResponse response = await ReadResponseAsync(null, cancellationToken).ConfigureAwait(false);
        if (response is not UntaggedStatusResponse greeting)
        {
            _connection.Abort(ProtocolErrorReason.UnexpectedResponse,
                "The server did not start with a greeting.");
            return;
        }

        Greeting = greeting.Text;
        switch (greeting.Status)
        {
            case ImapResponseStatus.Ok:
                State = ImapSessionState.NotAuthenticated;
                break;
            case ImapResponseStatus.PreAuth:
                State = ImapSessionState.Authenticated;
                break;
            case ImapResponseStatus.Bye:
                _connection.Abort(ProtocolErrorReason.ServerShutdown,
                    "The server refused the connection: " + ProtocolText.Escape(greeting.Text, 512));
                break;
            default:
                _connection.Abort(ProtocolErrorReason.UnexpectedResponse,
                    "The server greeting is not OK, PREAUTH or BYE.");
                break;
        }

        if (greeting.Code is CapabilityResponseCode capability)
        {
            SetCapabilities(capability.Capabilities);
        }
        else
        {
            await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the server for its capabilities again (RFC 9051 section 6.1.1).</summary>
    public async Task<IReadOnlySet<string>> RefreshCapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(new Commands.ImapCommand("CAPABILITY"), cancellationToken).ConfigureAwait(false);
        return _capabilities;
    }

    private void SetCapabilities(IReadOnlyList<string> capabilities)
    {
        _capabilities = new HashSet<string>(capabilities, StringComparer.OrdinalIgnoreCase);
    }
}
