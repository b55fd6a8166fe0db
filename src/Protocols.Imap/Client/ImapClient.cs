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
/// Commands run one at a time: each takes the command lock, sends its tagged line and reads until its tagged
/// completion. Untagged data that arrives during any command updates <see cref="Selected"/> and raises the events
/// before the command returns. Events run on the thread that reads the response, so a handler must not call back
/// into the client, and an exception from a handler fails the running command and closes the connection.
/// NOTE: commands are not pipelined, and COMPRESS=DEFLATE (RFC 4978) is not implemented.
/// </remarks>
public sealed partial class ImapClient : IAsyncDisposable
{
    private readonly MailConnection _connection;
    private readonly ImapClientOptions _options;
    private readonly ImapResponseParser _parser;
    private readonly SemaphoreSlim _commandLock = new(1, 1);
    private readonly HashSet<string> _capabilities = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _enabled = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _wireNames = new(StringComparer.Ordinal);
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
        // The command lock is not disposed: a command still running on another thread releases it when the closed
        // connection fails it, and SemaphoreSlim holds nothing that needs disposal unless its wait handle was used.
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
        _capabilities.Clear();
        _capabilities.UnionWith(capabilities);
    }
}
