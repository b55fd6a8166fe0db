using System.Globalization;
using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

public sealed partial class SmtpClient
{
    private string BuildMailCommand(SmtpEnvelope envelope, SmtpSendOptions options, long? size)
    {
        bool nonAscii = CheckAddress(envelope.From, allowEmpty: true, "envelope.From");
        foreach (SmtpRecipient recipient in envelope.Recipients)
        {
            nonAscii |= CheckAddress(recipient.Address, allowEmpty: false, "envelope.Recipients");
        }

        var command = new StringBuilder("MAIL FROM:<").Append(envelope.From).Append('>');
        if (size is { } length && length >= 0 && Capabilities.Supports(SmtpExtensions.Size))
        {
            // RFC 1870 section 6: a client that knows the message is larger than the announced limit does not
            // send it. The size before line-end normalisation is an estimate, which the SIZE parameter allows.
            if (Capabilities.MaxMessageSize is > 0 and long max && length > max)
            {
                throw new MailCommandException(
                    CommandErrorReason.PermanentFailure,
                    $"The message of {length} bytes is larger than the server's limit of {max} bytes (SIZE)",
                    ReadOnlySpan<byte>.Empty);
            }

            command.Append(CultureInfo.InvariantCulture, $" SIZE={length}");
        }

        if (options.Body == SmtpBodyType.EightBitMime)
        {
            Require(SmtpExtensions.EightBitMime, "8BITMIME", "BODY=8BITMIME");
            command.Append(" BODY=8BITMIME");
        }

        if (nonAscii || options.SmtpUtf8)
        {
            // RFC 6531 section 3.4: a non-ASCII address needs SMTPUTF8, and without it the server must not get one.
            if (!Capabilities.Supports(SmtpExtensions.SmtpUtf8))
            {
                throw new ArgumentException(
                    "An envelope address is not ASCII, or SMTPUTF8 was requested, but the server does not offer "
                        + "SMTPUTF8 (RFC 6531).",
                    nameof(envelope));
            }

            command.Append(" SMTPUTF8");
        }

        AppendDsnParameters(command, options);
        if (options.RequireTls)
        {
            Require(SmtpExtensions.RequireTls, "REQUIRETLS", "REQUIRETLS");
            if (!IsEncrypted)
            {
                throw NotSupported("REQUIRETLS needs an encrypted connection (RFC 8689 section 4.1)");
            }

            command.Append(" REQUIRETLS");
        }

        return command.ToString();
    }

    private void AppendDsnParameters(StringBuilder command, SmtpSendOptions options)
    {
        if (options.Return is { } ret)
        {
            Require(SmtpExtensions.Dsn, "DSN", "RET");
            command.Append(ret == DsnReturn.Full ? " RET=FULL" : " RET=HDRS");
        }

        if (options.EnvelopeId is { } envelopeId)
        {
            Require(SmtpExtensions.Dsn, "DSN", "ENVID");
            ProtocolText.ThrowIfContainsLineBreakOrNul(envelopeId, nameof(options));
            command.Append(" ENVID=");
            AppendXText(command, envelopeId);
        }
    }

    private string BuildRecipientCommand(SmtpRecipient recipient)
    {
        var command = new StringBuilder("RCPT TO:<").Append(recipient.Address).Append('>');
        if (recipient.Notify is { } notify)
        {
            Require(SmtpExtensions.Dsn, "DSN", "NOTIFY");
            command.Append(" NOTIFY=").Append(FormatNotify(notify));
        }

        if (recipient.OriginalRecipient is { } original)
        {
            Require(SmtpExtensions.Dsn, "DSN", "ORCPT");
            CheckAddress(original, allowEmpty: false, nameof(recipient));
            command.Append(" ORCPT=rfc822;");
            AppendXText(command, original);
        }

        return command.ToString();
    }

    private static string FormatNotify(DsnNotify notify)
    {
        if (notify == DsnNotify.Never)
        {
            return "NEVER";
        }

        var values = new List<string>(3);
        if (notify.HasFlag(DsnNotify.Success))
        {
            values.Add("SUCCESS");
        }

        if (notify.HasFlag(DsnNotify.Failure))
        {
            values.Add("FAILURE");
        }

        if (notify.HasFlag(DsnNotify.Delay))
        {
            values.Add("DELAY");
        }

        return string.Join(',', values);
    }

    /// <summary>
    /// Encodes xtext (RFC 3461 section 4): "+", "=" and every byte outside "!" to "~" become "+" and two upper-case
    /// hex digits. Non-ASCII characters are encoded byte by byte from UTF-8.
    /// </summary>
    internal static void AppendXText(StringBuilder builder, string value)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'!' and <= (byte)'~' and not (byte)'+' and not (byte)'=')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"+{b:X2}");
            }
        }
    }

    /// <summary>
    /// Rejects an address that could break the command line or the path syntax: CR, LF, NUL, other control
    /// characters, and angle brackets. Returns true when the address has non-ASCII characters.
    /// </summary>
    private static bool CheckAddress(string address, bool allowEmpty, string paramName)
    {
        ArgumentNullException.ThrowIfNull(address, paramName);
        ProtocolText.ThrowIfContainsLineBreakOrNul(address, paramName);
        if (address.Length == 0 && !allowEmpty)
        {
            throw new ArgumentException("A recipient address cannot be empty.", paramName);
        }

        bool nonAscii = false;
        foreach (char c in address)
        {
            if (char.IsControl(c) || c is '<' or '>')
            {
                throw new ArgumentException(
                    $"The address '{ProtocolText.Escape(address, 256)}' contains a control character or an angle "
                        + "bracket, which cannot appear in an SMTP path.",
                    paramName);
            }

            nonAscii |= c > '\x7F';
        }

        return nonAscii;
    }

    private void Require(SmtpExtensions extension, string keyword, string parameter)
    {
        if (!Capabilities.Supports(extension))
        {
            throw NotSupported($"The {parameter} parameter needs the {keyword} extension, which the server does not "
                + "offer");
        }
    }
}
