using System.Buffers;
using System.Text;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;
using RawMail.Sasl;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    private static readonly byte[] s_cancelExchange = "*\r\n"u8.ToArray();

    /// <summary>
    /// Sends STARTTLS, upgrades the connection and reads the capabilities again (RFC 9051 section 6.2.1), since
    /// those from before TLS may have been forged.
    /// </summary>
    private async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        if (State != ImapSessionState.NotAuthenticated)
        {
            // A PREAUTH greeting leaves no state in which STARTTLS is allowed (RFC 9051 section 6.2.1), and an
            // attacker can forge it to keep the session in plain text.
            _connection.Abort(ProtocolErrorReason.StartTlsRefused,
                "The server greeted with PREAUTH, so STARTTLS is not possible, and the connection requires TLS.");
        }

        if (!HasCapability("STARTTLS"))
        {
            _connection.Abort(ProtocolErrorReason.StartTlsRefused,
                "The server does not offer STARTTLS, and the connection requires TLS.");
        }

        var context = new CommandContext(new ImapCommand("STARTTLS")) { HoldsAfterCompletion = true };
        PendingCommand pending = Submit(context);
        try
        {
            await RunAsync(pending, cancellationToken).ConfigureAwait(false);
            if (context.Completion!.Status != ImapResponseStatus.Ok)
            {
                _connection.Abort(ProtocolErrorReason.StartTlsRefused,
                    "The server refused STARTTLS: " + ProtocolText.Escape(context.Completion.Text, 512));
            }

            // The handshake must start right after the OK, so nothing may read ahead into it.
            await WaitForReaderStoppedAsync().ConfigureAwait(false);
            await _connection.UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release(pending);
        }

        _capabilities = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Authenticates with the SASL mechanism that the server offers and <see cref="ImapClientOptions.SaslMechanisms"/>
    /// prefers (RFC 9051 section 6.2.2), sending the initial response with the command under SASL-IR (RFC 4959).
    /// </summary>
    /// <exception cref="MailAuthenticationException">
    /// The server rejected the credentials; for XOAUTH2 and OAUTHBEARER it carries the server's decoded error.
    /// </exception>
    /// <exception cref="SaslException">No offered mechanism fits the credentials.</exception>
    public async Task AuthenticateAsync(SaslCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        IEnumerable<string> offered = _capabilities
            .Where(static c => c.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
            .Select(static c => c[5..]);
        SaslMechanism mechanism = new SaslMechanismSelector(_options.SaslMechanisms)
            .SelectRequired(offered, credentials);
        await AuthenticateAsync(mechanism, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Authenticates with the given mechanism instance, which runs this one exchange.</summary>
    public async Task AuthenticateAsync(SaslMechanism mechanism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        ThrowIfNotState(ImapSessionState.NotAuthenticated, "AUTHENTICATE");
        var context = new SaslContext(_options.Connection.Host, _options.Connection.Port, "imap");
        SaslResponse? initial = await mechanism.CreateInitialResponseAsync(context, cancellationToken)
            .ConfigureAwait(false);
        TaggedCompletion completion;
        try
        {
            // The protocol log recognizes the AUTHENTICATE command and masks the exchange until its completion.
            completion = await RunExchangeAsync(mechanism, initial, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            initial?.Dispose();
        }

        if (completion.Code is { } code)
        {
            HandleCode(code, completion.Text);
        }

        if (completion.Status != ImapResponseStatus.Ok || mechanism.HasServerError)
        {
            throw CreateAuthenticationException(mechanism, completion);
        }

        mechanism.ValidateSuccess(default);
        await CompleteLoginAsync(completion, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TaggedCompletion> RunExchangeAsync(SaslMechanism mechanism, SaslResponse? initial,
        CancellationToken cancellationToken)
    {
        var context = new CommandContext(new ImapCommand("AUTHENTICATE"))
        {
            Rules = PipelineRules.ExclusiveCommand,
        };
        PendingCommand pending = Submit(context);
        await WaitForAdmissionAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.PreviousSendTurn.ConfigureAwait(false);
        try
        {
            pending.HasWritten = true;
            ExpectContinuations(pending);
            WriteAuthenticateLine(pending.Tag!, mechanism, initial);
            MarkAwaitingResponse(pending);
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            bool initialPending = initial is not null && !HasCapability("SASL-IR");
            while (await NextContinuationAsync(pending, cancellationToken).ConfigureAwait(false) is { } challenge)
            {
                if (initialPending)
                {
                    // RFC 4422 section 5: the server's first, empty challenge requests the initial response.
                    initialPending = false;
                    WriteSaslResponse(initial!);
                }
                else if (!TryAnswerChallenge(mechanism, challenge.Text))
                {
                    // RFC 9051 section 6.2.2: "*" cancels the exchange, and the server then replies with BAD.
                    _connection.Write(s_cancelExchange);
                }

                await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            pending.SendTurn.TrySetResult();
        }

        await WaitForCompletionAsync(pending, cancellationToken).ConfigureAwait(false);
        return pending.Context.Completion!;
    }

    private void WriteAuthenticateLine(string tag, SaslMechanism mechanism, SaslResponse? initial)
    {
        _connection.Write(Encoding.ASCII.GetBytes($"{tag} AUTHENTICATE {mechanism.Name}"));
        if (initial is not null && HasCapability("SASL-IR"))
        {
            _connection.Write(" "u8);
            WriteSaslResponse(initial, withCommand: true);
        }
        else
        {
            _connection.Write(s_crlf);
        }
    }

    private bool TryAnswerChallenge(SaslMechanism mechanism, string text)
    {
        // Some servers send "+" with no space and no text, which is an empty challenge too.
        byte[] challenge;
        try
        {
            challenge = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        SaslResponse response;
        try
        {
            response = mechanism.EvaluateChallenge(challenge);
        }
        catch (SaslException)
        {
            return false;
        }

        using (response)
        {
            WriteSaslResponse(response);
        }

        return true;
    }

    /// <summary>Writes the response in base64 and CRLF from a pooled buffer that is cleared afterwards.</summary>
    /// <remarks>An empty initial response sent with the command is "=" (RFC 4959 section 3).</remarks>
    private void WriteSaslResponse(SaslResponse response, bool withCommand = false)
    {
        if (withCommand && response.IsEmpty)
        {
            _connection.Write("=\r\n"u8);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(response.Base64Length + 2);
        try
        {
            int written = response.CopyBase64To(buffer);
            buffer[written++] = (byte)'\r';
            buffer[written++] = (byte)'\n';
            _connection.WriteSecret(buffer.AsSpan(0, written));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static MailAuthenticationException CreateAuthenticationException(SaslMechanism mechanism,
        TaggedCompletion completion)
    {
        string message = $"AUTHENTICATE {mechanism.Name} failed";
        byte[] text = Encoding.UTF8.GetBytes(completion.Text);
        if (mechanism is SaslOAuthMechanism { OAuthError: { } error })
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            AddField(fields, "status", error.Status);
            AddField(fields, "schemes", error.Schemes);
            AddField(fields, "scope", error.Scope);
            AddField(fields, "openid-configuration", error.OpenIdConfiguration);
            return new MailAuthenticationException(message, text, error.Raw, fields);
        }

        return new MailAuthenticationException(message, text);
    }

    private static void AddField(Dictionary<string, string> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields[name] = value;
        }
    }

    /// <summary>
    /// Logs in with a user name and password (RFC 9051 section 6.2.3), each sent as an atom, a quoted string or a
    /// literal as its characters need.
    /// </summary>
    /// <exception cref="MailAuthenticationException">The server rejected the credentials.</exception>
    public async Task LoginAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        ThrowIfNotState(ImapSessionState.NotAuthenticated, "LOGIN");
        if (HasCapability("LOGINDISABLED"))
        {
            throw new MailCommandException(CommandErrorReason.NotSupported, "LOGIN is disabled by the server",
                "LOGINDISABLED"u8);
        }

        ImapCommand command = new ImapCommand("LOGIN").Space().AppendAString(userName).Space()
            .AppendString(password, secret: true);
        CommandContext context;
        try
        {
            context = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (ImapCommandException ex)
        {
            throw new MailAuthenticationException("LOGIN failed", Encoding.UTF8.GetBytes(ex.ResponseText));
        }

        await CompleteLoginAsync(context.Completion!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enters the authenticated state and re-reads capabilities unless the completion carried them.</summary>
    private async Task CompleteLoginAsync(TaggedCompletion completion, CancellationToken cancellationToken)
    {
        State = ImapSessionState.Authenticated;
        if (completion.Code is not CapabilityResponseCode)
        {
            // RFC 9051 section 6.2.2: capabilities may change after authentication.
            await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void ThrowIfNotState(ImapSessionState expected, string command)
    {
        if (State != expected)
        {
            throw new InvalidOperationException($"{command} needs the {expected} state; the session is {State}.");
        }
    }
}
