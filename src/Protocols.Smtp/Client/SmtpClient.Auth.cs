using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using RawMail.Sasl;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

public sealed partial class SmtpClient
{
    /// <summary>The longest command line including CRLF (RFC 5321 section 4.5.3.1.4).</summary>
    private const int MaxCommandLineLength = 512;

    /// <summary>More challenges than any mechanism here needs (SCRAM needs two), so a looping server ends.</summary>
    private const int MaxChallenges = 8;

    /// <summary>
    /// Authenticates with the first mechanism in <see cref="SmtpClientOptions.MechanismOrder"/> that the server
    /// offers and the credentials can serve (RFC 4954).
    /// </summary>
    /// <exception cref="MailAuthenticationException">
    /// The server rejected the credentials; for XOAUTH2 and OAUTHBEARER it carries the server's decoded error
    /// document. The session stays usable.
    /// </exception>
    /// <exception cref="MailCommandException">
    /// <see cref="CommandErrorReason.NotSupported"/> when the server offers no AUTH.
    /// </exception>
    /// <exception cref="SaslException">
    /// No offered mechanism fits the credentials, or a server challenge was invalid (the exchange is canceled).
    /// </exception>
    public async ValueTask AuthenticateAsync(SaslCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        using OperationScope operation = BeginOperation();
        if (IsAuthenticated)
        {
            throw new InvalidOperationException("The session is already authenticated (RFC 4954 section 4).");
        }

        if (!Capabilities.Supports(SmtpExtensions.Authentication))
        {
            throw NotSupported("The server does not offer AUTH in its EHLO reply");
        }

        var selector = new SaslMechanismSelector(_options.MechanismOrder);
        SaslMechanism mechanism = selector.SelectRequired(Capabilities.AuthenticationMechanisms, credentials);
        SaslContext context = _options.SaslContext
            ?? new SaslContext(_options.Connection.Host, _options.Connection.Port, "smtp");

        // The protocol log masks every client line and challenge from the AUTH line to the final reply, and shows
        // the AUTH line itself with its initial response masked.
        SmtpReply reply;
        using (SaslResponse? initial = await mechanism.CreateInitialResponseAsync(context, cancellationToken)
            .ConfigureAwait(false))
        {
            reply = await SendAuthCommandAsync(mechanism, initial, cancellationToken).ConfigureAwait(false);
        }

        reply = await AnswerChallengesAsync(mechanism, reply, cancellationToken).ConfigureAwait(false);
        CompleteAuthentication(mechanism, reply);
    }

    /// <summary>
    /// Sends AUTH with the initial response when the line fits in 512 octets. A longer initial response follows
    /// the server's empty 334 challenge instead (RFC 4954 section 4). Returns the first reply after the initial
    /// response.
    /// </summary>
    private async ValueTask<SmtpReply> SendAuthCommandAsync(
        SaslMechanism mechanism,
        SaslResponse? initial,
        CancellationToken cancellationToken)
    {
        string command = "AUTH " + mechanism.Name;
        int inlineLength = command.Length + 1 + Math.Max(1, initial?.Base64Length ?? 0) + 2;
        if (initial is not null && _options.UseInitialResponse && inlineLength <= MaxCommandLineLength)
        {
            _connection.Write(Encoding.ASCII.GetBytes(command + " "));
            WriteSaslResponse(initial, emptyAs: (byte)'=');
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        SmtpReply reply = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        if (initial is null || reply.Code != 334)
        {
            return reply;
        }

        // RFC 4954 section 4: the server replies to AUTH without an initial response with an empty challenge,
        // "334" alone or "334 ". Some servers put text there anyway, and the initial response is sent regardless,
        // because the mechanism has no response to that text.
        WriteSaslResponse(initial, emptyAs: (byte)'=');
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<SmtpReply> AnswerChallengesAsync(
        SaslMechanism mechanism,
        SmtpReply reply,
        CancellationToken cancellationToken)
    {
        for (int round = 0; reply.Code == 334; round++)
        {
            if (round == MaxChallenges)
            {
                _connection.Abort(
                    ProtocolErrorReason.UnexpectedResponse,
                    $"The server sent more than {MaxChallenges} AUTH challenges.");
            }

            SaslResponse response;
            try
            {
                response = mechanism.EvaluateChallenge(DecodeChallenge(reply));
            }
            catch (SaslException)
            {
                // RFC 4954 section 4: "*" cancels the exchange, and the server replies 501.
                await ExecuteAsync("*", cancellationToken).ConfigureAwait(false);
                throw;
            }

            using (response)
            {
                WriteSaslResponse(response, emptyAs: null);
            }

            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            reply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        return reply;
    }

    private void CompleteAuthentication(SaslMechanism mechanism, SmtpReply reply)
    {
        if (reply.Code == 235 && !mechanism.HasServerError)
        {
            // RFC 4954 has no additional data with 235; SCRAM's server signature came in the last 334.
            mechanism.ValidateSuccess([]);
            IsAuthenticated = true;
            return;
        }

        SaslOAuthError? error = (mechanism as SaslOAuthMechanism)?.OAuthError;
        string message = reply.IsPositiveCompletion
            ? $"AUTH {mechanism.Name} ended in success after the server reported an error"
            : $"AUTH {mechanism.Name} failed";
        if (error is not null)
        {
            message += $"; the server rejected the access token (status {Describe(error.Status)}, scope "
                + $"{Describe(error.Scope)}); get a new token, and if that fails, consent to the scope again";
        }
        throw new MailAuthenticationException(
            message,
            Encoding.UTF8.GetBytes(reply.ToString()),
            error?.Raw,
            error is null ? null : ToFields(error));
    }

    private static string Describe(string? value) =>
        value is null ? "missing" : ProtocolText.Escape(value, 128);

    private static Dictionary<string, string> ToFields(SaslOAuthError error)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        AddField(fields, "status", error.Status);
        AddField(fields, "schemes", error.Schemes);
        AddField(fields, "scope", error.Scope);
        AddField(fields, "openid-configuration", error.OpenIdConfiguration);
        return fields;
    }

    private static void AddField(Dictionary<string, string> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields[name] = value;
        }
    }

    private byte[] DecodeChallenge(SmtpReply reply)
    {
        // A 334 reply has one line; its text is the base64 challenge, possibly empty ("334" alone, RFC 5321
        // section 4.2 lets the space go).
        string text = reply.Lines.Count == 0 ? string.Empty : reply.Lines[^1].Trim(' ');
        byte[] encoded = Encoding.ASCII.GetBytes(text);
        byte[] decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, decoded, out _, out int written) != OperationStatus.Done)
        {
            _connection.Abort(
                ProtocolErrorReason.MalformedResponse,
                "The server sent an AUTH challenge that is not valid base64: " + Escape(reply));
        }

        return decoded[..written];
    }

    /// <summary>
    /// Writes a SASL response as base64 and CRLF through <see cref="MailConnection.WriteSecret"/>, so the log masks
    /// it, with a pooled buffer that is zeroed afterwards, so no copy of the secret outlives the write.
    /// </summary>
    private void WriteSaslResponse(SaslResponse response, byte? emptyAs)
    {
        if (response.IsEmpty)
        {
            if (emptyAs is { } marker)
            {
                _connection.WriteSecret([marker]);
            }

            _connection.Write("\r\n"u8);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(response.Base64Length);
        try
        {
            int length = response.CopyBase64To(buffer);
            _connection.WriteSecret(buffer.AsSpan(0, length));
            _connection.Write("\r\n"u8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
