namespace RawMail.Protocols.Smtp;

/// <summary>
/// Streams message data to the wire form: every bare CR, bare LF or CRLF becomes CRLF (RFC 5321 section 2.3.8),
/// and for DATA a line that starts with "." gets one more "." (RFC 5321 section 4.5.2). Chunks may split a CRLF
/// or a line anywhere; the encoder carries its state across them.
/// </summary>
internal struct SmtpDataEncoder
{
    /// <summary>The most bytes <see cref="Complete"/> writes: CRLF then ".\r\n".</summary>
    public const int MaxTrailerLength = 5;

    private readonly bool _stuffDots;
    private bool _atLineStart;
    private bool _pendingCr;

    /// <param name="stuffDots">True for DATA; false for BDAT, which sends the data unchanged apart from line ends.</param>
    public SmtpDataEncoder(bool stuffDots)
    {
        _stuffDots = stuffDots;
        _atLineStart = true;
    }

    /// <summary>The output space <see cref="Encode"/> needs for <paramref name="inputLength"/> bytes.</summary>
    public static int MaxEncodedLength(int inputLength) => (inputLength * 2) + 2;

    /// <summary>
    /// Encodes <paramref name="input"/> into <paramref name="output"/>, which must hold
    /// <see cref="MaxEncodedLength"/> bytes, and returns the number of bytes written. A CR at the end of the input
    /// is held back until the next byte shows whether it starts a CRLF.
    /// </summary>
    public int Encode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        while (!input.IsEmpty)
        {
            if (_pendingCr)
            {
                written += WriteCrLf(output[written..]);
                _pendingCr = false;
                _atLineStart = true;
                if (input[0] == (byte)'\n')
                {
                    input = input[1..];
                    continue;
                }
            }

            if (_atLineStart)
            {
                if (_stuffDots && input[0] == (byte)'.')
                {
                    output[written++] = (byte)'.';
                }

                _atLineStart = false;
            }

            int lineEnd = input.IndexOfAny((byte)'\r', (byte)'\n');
            int runLength = lineEnd < 0 ? input.Length : lineEnd;
            input[..runLength].CopyTo(output[written..]);
            written += runLength;
            if (lineEnd < 0)
            {
                break;
            }

            if (input[lineEnd] == (byte)'\n')
            {
                written += WriteCrLf(output[written..]);
                _atLineStart = true;
            }
            else
            {
                _pendingCr = true;
            }

            input = input[(lineEnd + 1)..];
        }

        return written;
    }

    /// <summary>
    /// Ends the data: a held-back CR becomes CRLF, a last line without a line end gets one, and for DATA the
    /// end-of-data line "." follows. Returns the number of bytes written, at most <see cref="MaxTrailerLength"/>.
    /// </summary>
    public int Complete(Span<byte> output)
    {
        int written = 0;
        if (_pendingCr || !_atLineStart)
        {
            written += WriteCrLf(output);
            _pendingCr = false;
            _atLineStart = true;
        }

        if (_stuffDots)
        {
            ".\r\n"u8.CopyTo(output[written..]);
            written += 3;
        }

        return written;
    }

    private static int WriteCrLf(Span<byte> output)
    {
        output[0] = (byte)'\r';
        output[1] = (byte)'\n';
        return 2;
    }
}
