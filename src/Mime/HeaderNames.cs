using System.Text;

namespace RawMail.Mime;

/// <summary>
/// Field names as parsed, with one shared string for each common name as usually spelled, so the
/// parser does not allocate the same few names for every message.
/// </summary>
internal static class HeaderNames
{
    private static readonly string[] s_common =
    [
        "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To",
        "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
        "Content-ID", "Content-Description", "Content-Language", "Received", "Return-Path", "Delivered-To",
        "DKIM-Signature", "Authentication-Results", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results",
        "Received-SPF", "X-Mailer", "User-Agent", "List-Unsubscribe", "List-Id", "Precedence", "Thread-Topic",
        "Thread-Index", "Importance", "X-Priority", "Mime-Version", "Message-Id", "Content-Id",
    ];

    // Names grouped by length, so a lookup compares only names of the right length.
    private static readonly Dictionary<int, (byte[] Bytes, string Name)[]> s_byLength = s_common
        .GroupBy(name => name.Length)
        .ToDictionary(group => group.Key, group => group.Select(name => (Encoding.ASCII.GetBytes(name), name)).ToArray());

    /// <summary>Returns the name for ASCII bytes, shared when it is a common name spelled as usual.</summary>
    public static string Get(ReadOnlySpan<byte> name)
    {
        if (s_byLength.TryGetValue(name.Length, out (byte[] Bytes, string Name)[]? candidates))
        {
            foreach ((byte[] bytes, string common) in candidates)
            {
                if (name.SequenceEqual(bytes))
                {
                    return common;
                }
            }
        }

        return Encoding.ASCII.GetString(name);
    }
}
