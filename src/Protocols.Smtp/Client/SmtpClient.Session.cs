using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

public sealed partial class SmtpClient
{
    private async ValueTask StartSessionAsync(CancellationToken cancellationToken)
    {
        Greeting = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (Greeting.Code != 220)
        {
            // A 554 greeting (RFC 5321 section 3.1), or any other 4xx or 5xx, means the server refuses the
            // session. No HELO fallback is tried: such servers often close the connection right after it.
            if (Greeting.IsTransientNegative || Greeting.IsPermanentNegative)
            {
                throw new SmtpCommandException("The server rejected the session in its greeting", Greeting);
            }

            _connection.Abort(
                ProtocolErrorReason.UnexpectedResponse,
                "The server sent a greeting other than 220: " + Escape(Greeting));
        }

        await HelloAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Connection.TlsMode == TlsMode.StartTls)
        {
            await StartTlsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private string EhloDomain => _options.EhloDomain ?? FormatAddressLiteral(_connection.LocalEndPoint);

    /// <summary>Formats an RFC 5321 section 4.1.3 address literal: "[192.0.2.1]" or "[IPv6:2001:db8::1]".</summary>
    internal static string FormatAddressLiteral(System.Net.EndPoint endPoint)
    {
        if (endPoint is not System.Net.IPEndPoint { Address: var address })
        {
            return "localhost";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "[IPv6:" + address.ToString() + "]"
            : "[" + address.ToString() + "]";
    }

    /// <summary>
    /// Sends EHLO, or HELO when the server rejects EHLO with a 5xx reply (RFC 5321 section 3.2), and records the
    /// capabilities.
    /// </summary>
    private async ValueTask HelloAsync(CancellationToken cancellationToken)
    {
        Capabilities = SmtpCapabilities.None;
        SmtpReply reply = await ExecuteAsync("EHLO " + EhloDomain, cancellationToken).ConfigureAwait(false);
        if (reply.IsPositiveCompletion)
        {
            Capabilities = SmtpCapabilities.Parse(reply);
            return;
        }

        if (!reply.IsPermanentNegative)
        {
            throw new SmtpCommandException("EHLO failed", reply);
        }

        reply = await ExecuteAsync("HELO " + EhloDomain, cancellationToken).ConfigureAwait(false);
        EnsurePositive(reply, "HELO");
    }

    /// <summary>
    /// Starts TLS (RFC 3207) and sends EHLO again, because what the server announced in plain text may have been
    /// forged and must be discarded (RFC 3207 section 4.2). Nothing falls back to plain text: when STARTTLS is not
    /// offered or is refused, the connection is closed.
    /// </summary>
    private async ValueTask StartTlsAsync(CancellationToken cancellationToken)
    {
        if (!Capabilities.Supports(SmtpExtensions.StartTls))
        {
            _connection.Abort(
                ProtocolErrorReason.StartTlsRefused,
                "The server does not offer STARTTLS, and the connection options require it.");
        }

        SmtpReply reply = await ExecuteAsync("STARTTLS", cancellationToken).ConfigureAwait(false);
        if (reply.Code != 220)
        {
            _connection.Abort(
                ProtocolErrorReason.StartTlsRefused,
                "The server refused STARTTLS, and the connection options require it: " + Escape(reply));
        }

        // The reply parser consumed only the 220 reply, so the transport finds any bytes after it and rejects the
        // TLS upgrade (PlaintextAfterStartTls).
        await _connection.UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
        await HelloAsync(cancellationToken).ConfigureAwait(false);
    }
}
