using System.Buffers;
using System.Text;

namespace RawMail.Sasl;

// Input checks and UTF-8 helpers shared by the mechanisms.
internal static class SaslText
{
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false,
        throwOnInvalidBytes: true);

    // User names and authorization ids travel inside ^A- or NUL-separated messages, and protocol
    // logs print them, so no C0 control, DEL or broken UTF-16 may pass.
    public static void ThrowIfInvalidName(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        foreach (char c in value)
        {
            if (c < 0x20 || c == 0x7F)
            {
                throw new ArgumentException("The value contains a control character.", paramName);
            }
        }

        ThrowIfInvalidUtf16(value, paramName);
    }

    // RFC 4616 section 2 allows any UTF-8 but NUL in a PLAIN password.
    public static void ThrowIfInvalidPassword(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The password contains a NUL character.", paramName);
        }

        ThrowIfInvalidUtf16(value, paramName);
    }

    public static void ThrowIfNotPrintableAscii(string value, string paramName)
    {
        foreach (char c in value)
        {
            if (c <= 0x20 || c >= 0x7F)
            {
                throw new ArgumentException("The value must be printable ASCII without spaces.", paramName);
            }
        }
    }

    // Bearer tokens are b64token text (RFC 6750 section 2.1). Printable ASCII is accepted so an
    // unusual but harmless token still works, while ^A, CR, LF and NUL can never reach the message.
    public static void ThrowIfInvalidAccessToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new SaslException(SaslErrorReason.InvalidAccessToken,
                "The token provider returned an empty access token.");
        }

        foreach (char c in token)
        {
            if (c <= 0x20 || c >= 0x7F)
            {
                throw new SaslException(SaslErrorReason.InvalidAccessToken,
                    "The access token contains a space, a control character or a non-ASCII character.");
            }
        }
    }

    private static void ThrowIfInvalidUtf16(string value, string paramName)
    {
        if (HasBrokenSurrogate(value))
        {
            throw new ArgumentException("The value contains an unpaired surrogate character.", paramName);
        }
    }

    private static bool HasBrokenSurrogate(string value)
    {
        ReadOnlySpan<char> rest = value;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out int consumed) != OperationStatus.Done)
            {
                return true;
            }

            rest = rest[consumed..];
        }

        return false;
    }
}

// Builds a response in a pooled buffer sized up front, so secrets are never copied into a
// growing buffer that leaves old copies behind.
internal struct SaslResponseWriter
{
    private byte[]? _buffer;
    private int _length;

    public SaslResponseWriter(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
        _length = 0;
    }

    public readonly int Length => _length;

    public void Write(byte value)
    {
        _buffer![_length] = value;
        _length++;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Write(string text)
    {
        _length += SaslText.StrictUtf8.GetBytes(text, _buffer.AsSpan(_length));
    }

    public SaslResponse ToResponse()
    {
        byte[] buffer = _buffer ?? throw new InvalidOperationException("The writer was already used.");
        _buffer = null;
        return SaslResponse.FromRented(buffer, _length);
    }
}
