using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace RawMail.Sasl;

/// <summary>
/// One client message of a SASL exchange, as raw bytes before base64. The bytes may contain a
/// password or a token, so dispose the response once it is sent, which zeroes the buffer and
/// returns it to the pool.
/// </summary>
public sealed class SaslResponse : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    private SaslResponse(byte[]? buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>
    /// Creates an empty response, sent to an XOAUTH2 error challenge and to the SCRAM server-final challenge.
    /// </summary>
    public static SaslResponse CreateEmpty() => new(null, 0);

    /// <summary>Creates a response that owns a copy of <paramref name="bytes"/> in a pooled buffer.</summary>
    public static SaslResponse Create(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return CreateEmpty();
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(buffer);
        return new SaslResponse(buffer, bytes.Length);
    }

    // Takes ownership of a buffer rented from ArrayPool<byte>.Shared.
    internal static SaslResponse FromRented(byte[] buffer, int length) => new(buffer, length);

    /// <summary>The number of raw bytes.</summary>
    public int Length => _length;

    /// <summary>
    /// The number of characters the response takes in base64, which a protocol client compares
    /// with its line limit before it sends the response inline (RFC 4954 section 4).
    /// </summary>
    public int Base64Length => (_length + 2) / 3 * 4;

    public bool IsEmpty => _length == 0;

    /// <exception cref="ObjectDisposedException">The response was disposed.</exception>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <exception cref="ObjectDisposedException">The response was disposed.</exception>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            if (_length == 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return new ReadOnlyMemory<byte>(_buffer, 0, _length);
        }
    }

    /// <summary>
    /// Writes the response as base64 UTF-8 into <paramref name="destination"/>, which needs
    /// <see cref="Base64Length"/> bytes, and returns the number of bytes written. Unlike
    /// <see cref="ToBase64"/> it leaves no copy of the secret in an immutable string.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <see cref="Base64Length"/>.
    /// </exception>
    public int CopyBase64To(Span<byte> destination)
    {
        if (destination.Length < Base64Length)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} bytes, but the base64 response needs {Base64Length}.",
                nameof(destination));
        }

        Base64.EncodeToUtf8(Span, destination, out _, out int written);
        return written;
    }

    /// <summary>
    /// Encodes the response as base64 text. The string cannot be zeroed, so protocol clients
    /// prefer <see cref="CopyBase64To"/> for responses that carry a password or token.
    /// </summary>
    public string ToBase64() => Convert.ToBase64String(Span);

    /// <summary>Zeroes the buffer and returns it to the pool.</summary>
    public void Dispose()
    {
        byte[]? buffer = _buffer;
        if (buffer is null)
        {
            return;
        }

        _buffer = null;
        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, _length));
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
