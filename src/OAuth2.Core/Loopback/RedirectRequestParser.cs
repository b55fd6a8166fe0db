using System.Text;

namespace RawMail.OAuth2;

/// <summary>Outcome of <see cref="RedirectRequestParser.TryParse"/>.</summary>
internal enum RedirectParseStatus
{
    Complete,
    NeedMoreData,
    Invalid,
}

/// <summary>The request line and Host header of an HTTP/1.1 request to the redirect listener.</summary>
internal readonly record struct RedirectRequest(string Method, string Target, string? Host);

/// <summary>
/// A minimal HTTP/1.1 request head parser (RFC 9112 3 and 5) for the loopback redirect. It reads
/// only the request line and headers; the browser's GET has no body.
/// </summary>
internal static class RedirectRequestParser
{
    /// <summary>Limit of the request head; a redirect URI with its query fits well within it.</summary>
    public const int MaxHeadLength = 16 * 1024;

    /// <summary>
    /// Parses a complete head from <paramref name="buffer"/>, or reports that more bytes are
    /// needed. Nothing is consumed until the blank line that ends the head has arrived.
    /// </summary>
    public static RedirectParseStatus TryParse(ReadOnlySpan<byte> buffer, out RedirectRequest request)
    {
        request = default;
        int end = buffer.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return buffer.Length >= MaxHeadLength ? RedirectParseStatus.Invalid : RedirectParseStatus.NeedMoreData;
        }

        if (end >= MaxHeadLength)
        {
            return RedirectParseStatus.Invalid;
        }

        ReadOnlySpan<byte> head = buffer[..(end + 2)];
        int lineEnd = head.IndexOf("\r\n"u8);
        if (!TryParseRequestLine(head[..lineEnd], out string method, out string target))
        {
            return RedirectParseStatus.Invalid;
        }

        string? host = null;
        ReadOnlySpan<byte> rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            int next = rest.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = rest[..next];
            rest = rest[(next + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line.IndexOfAny((byte)'\0', (byte)'\r', (byte)'\n') >= 0)
            {
                return RedirectParseStatus.Invalid;
            }

            if (Ascii.EqualsIgnoreCase(line[..colon], "Host"u8))
            {
                // RFC 9112 3.2: more than one Host field is a bad request.
                if (host is not null)
                {
                    return RedirectParseStatus.Invalid;
                }

                host = Encoding.ASCII.GetString(line[(colon + 1)..].Trim(" \t"u8));
            }
        }

        request = new RedirectRequest(method, target, host);
        return RedirectParseStatus.Complete;
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, out string method, out string target)
    {
        method = "";
        target = "";
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            return false;
        }

        ReadOnlySpan<byte> version = line[(lastSpace + 1)..];
        ReadOnlySpan<byte> rawTarget = line[(firstSpace + 1)..lastSpace];
        if (!version.StartsWith("HTTP/1."u8) || rawTarget[0] != (byte)'/' || !IsVisibleAscii(rawTarget))
        {
            return false;
        }

        method = Encoding.ASCII.GetString(line[..firstSpace]);
        target = Encoding.ASCII.GetString(rawTarget);
        return true;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<byte> value) =>
        value.IndexOfAnyExceptInRange((byte)'!', (byte)'~') < 0;
}
