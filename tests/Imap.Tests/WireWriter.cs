using System.Globalization;
using System.Text;
using RawMail.Protocols.Imap;

namespace RawMail.Imap.Tests;

public sealed record GeneratedAddress(string? Name, string Mailbox, string Host);

public sealed record GeneratedPart(string Type, string Subtype, string Charset, string Encoding, long Size, long Lines);

public sealed record GeneratedFetch(
    uint Sequence,
    uint Uid,
    string[] Flags,
    long Size,
    string Subject,
    GeneratedAddress[] From,
    string? MessageId,
    GeneratedPart[] Parts,
    byte[] Body);

public sealed record GeneratedMailbox(string[] Attributes, char? Delimiter, string Name);

public sealed record GeneratedStatus(string Name, uint Messages, uint UidNext, uint Unseen, ulong HighestModSeq);

/// <summary>Writes responses in the server's wire syntax, choosing quoted strings or literals per value.</summary>
public static class WireWriter
{
    public static void WriteString(StringBuilder output, string? value, bool useLiteral)
    {
        if (value is null)
        {
            output.Append("NIL");
            return;
        }

        if (useLiteral || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            output.Append('{').Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture))
                .Append("}\r\n").Append(value);
            return;
        }

        output.Append('"').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
    }

    public static string WriteFetch(GeneratedFetch fetch, bool literals)
    {
        var output = new StringBuilder();
        output.Append("* ").Append(fetch.Sequence).Append(" FETCH (UID ").Append(fetch.Uid)
            .Append(" FLAGS (").Append(string.Join(' ', fetch.Flags)).Append(") RFC822.SIZE ").Append(fetch.Size)
            .Append(" ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0000\" ");
        WriteString(output, fetch.Subject, literals);
        output.Append(" (");
        foreach (GeneratedAddress address in fetch.From)
        {
            output.Append('(');
            WriteString(output, address.Name, literals);
            output.Append(" NIL ");
            WriteString(output, address.Mailbox, false);
            output.Append(' ');
            WriteString(output, address.Host, false);
            output.Append(')');
        }

        output.Append(") NIL NIL NIL NIL NIL NIL ");
        WriteString(output, fetch.MessageId, false);
        output.Append(") BODYSTRUCTURE ");
        if (fetch.Parts.Length == 1)
        {
            WritePart(output, fetch.Parts[0]);
        }
        else
        {
            output.Append('(');
            foreach (GeneratedPart part in fetch.Parts)
            {
                WritePart(output, part);
            }

            output.Append(" \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)");
        }

        output.Append(" BODY[] {").Append(fetch.Body.Length).Append("}\r\n")
            .Append(Encoding.Latin1.GetString(fetch.Body)).Append(")\r\n");
        return output.ToString();
    }

    private static void WritePart(StringBuilder output, GeneratedPart part)
    {
        output.Append("(\"").Append(part.Type).Append("\" \"").Append(part.Subtype).Append("\" (\"charset\" \"")
            .Append(part.Charset).Append("\") NIL NIL \"").Append(part.Encoding).Append("\" ").Append(part.Size);
        if (part.Type == "text")
        {
            output.Append(' ').Append(part.Lines);
        }

        output.Append(" NIL NIL NIL NIL)");
    }

    public static string WriteList(GeneratedMailbox mailbox)
    {
        var output = new StringBuilder("* LIST (");
        output.Append(string.Join(' ', mailbox.Attributes)).Append(") ");
        WriteString(output, mailbox.Delimiter?.ToString(), false);
        output.Append(' ');
        WriteString(output, ModifiedUtf7.Encode(mailbox.Name), false);
        return output.Append("\r\n").ToString();
    }

    public static string WriteStatus(GeneratedStatus status)
    {
        var output = new StringBuilder("* STATUS ");
        WriteString(output, ModifiedUtf7.Encode(status.Name), true);
        output.Append(" (MESSAGES ").Append(status.Messages).Append(" UIDNEXT ").Append(status.UidNext)
            .Append(" UNSEEN ").Append(status.Unseen).Append(" HIGHESTMODSEQ ").Append(status.HighestModSeq)
            .Append(")\r\n");
        return output.ToString();
    }

    public static string WriteSearch(uint[] numbers)
    {
        return "* SEARCH" + string.Concat(numbers.Select(n => " " + n.ToString(CultureInfo.InvariantCulture))) + "\r\n";
    }
}
