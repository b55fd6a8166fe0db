using System.Globalization;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>
    /// Appends a message to <paramref name="mailbox"/> (RFC 9051 section 6.3.12), reading it from
    /// <paramref name="message"/> in chunks so that it is never whole in memory. The literal is sent without
    /// waiting for "+" under LITERAL+, or under LITERAL- up to 4096 octets (RFC 7888). <paramref name="length"/>
    /// is the number of octets to send; null takes the rest of a seekable stream. The result carries the UID of the
    /// new message when the server offers UIDPLUS (RFC 4315 APPENDUID). Under UTF8=ACCEPT the message is sent in
    /// the UTF8 form of RFC 6855 section 4.
    /// </summary>
    public async Task<AppendResult> AppendAsync(string mailbox, Stream message, long? length = null,
        MessageFlags flags = MessageFlags.None, IEnumerable<string>? keywords = null,
        DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(message);
        long size = length ?? (message.CanSeek
            ? message.Length - message.Position
            : throw new ArgumentException("The length is missing, and the stream cannot seek to find it.", nameof(length)));
        ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(length));

        ImapCommand command = NewCommand("APPEND").Space().AppendMailbox(mailbox);
        if (flags != MessageFlags.None || keywords is not null)
        {
            command.Space().AppendRaw(FormatFlags(flags, keywords));
        }

        if (internalDate is { } date)
        {
            command.Space().AppendRaw("\"" + FormatDateTime(date) + "\"");
        }

        if (IsUtf8Enabled)
        {
            // RFC 6855 section 4: under UTF8=ACCEPT the message goes as a literal8 inside UTF8 (...), which marks
            // it as a message whose header fields may carry UTF-8.
            command.Space().AppendRaw("UTF8 (").AppendLiteral(message, size, literal8: true).AppendRaw(")");
        }
        else
        {
            command.Space().AppendLiteral(message, size);
        }
        CommandContext context = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        if (context.Completion!.Code is AppendUidResponseCode appendUid)
        {
            uint? uid = appendUid.Uids is { Ranges.Count: > 0 } uids ? uids.Ranges[0].Start : null;
            return new AppendResult(appendUid.UidValidity, uid);
        }

        return new AppendResult(null, null);
    }

    /// <summary>Appends a message held in memory.</summary>
    public async Task<AppendResult> AppendAsync(string mailbox, ReadOnlyMemory<byte> message,
        MessageFlags flags = MessageFlags.None, IEnumerable<string>? keywords = null,
        DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(message.ToArray(), writable: false);
        return await AppendAsync(mailbox, stream, stream.Length, flags, keywords, internalDate, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Formats a date-time as RFC 9051 section 9 wants: <c>dd-MMM-yyyy HH:mm:ss +zzzz</c>.</summary>
    internal static string FormatDateTime(DateTimeOffset value)
    {
        TimeSpan offset = value.Offset;
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        offset = offset.Duration();
        return value.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + value.ToString("-MMM-yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + offset.Hours.ToString("D2", CultureInfo.InvariantCulture)
            + offset.Minutes.ToString("D2", CultureInfo.InvariantCulture);
    }
}
