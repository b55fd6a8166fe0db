using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using RawMail.Mime;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>Thrown inside the parser when a streamed literal is met where only an in-memory value fits.</summary>
internal sealed class StreamNotAllowedException : Exception
{
}

/// <summary>
/// Reads the tokens of one framed response (RFC 9051 section 9): atoms, numbers, quoted strings,
/// literals, NIL and list brackets. The frame contains the whole response, so no token is ever cut off.
/// </summary>
internal ref struct ImapTokenReader
{
    // Octets that end an atom in a data position: SP, list brackets, quote, CR, LF.
    private static readonly SearchValues<byte> s_atomEnd = SearchValues.Create(" ()\"\r\n"u8);
    private static readonly SearchValues<byte> s_quotedStop = SearchValues.Create("\"\\\r\n"u8);

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ImapParserOptions _options;
    private readonly bool _streamTail;
    private ParseScratch? _scratch;
    private int _pos;
    private int _depth;

    public ImapTokenReader(ReadOnlySpan<byte> buffer, ImapParserOptions options, bool streamTail, int depth,
        ParseScratch? scratch = null)
    {
        _buffer = buffer;
        _options = options;
        _streamTail = streamTail;
        _depth = depth;
        _scratch = scratch;
    }

    /// <summary>The list stacks of the parser, or new ones for a reader made without them.</summary>
    public ParseScratch Scratch => _scratch ??= new ParseScratch();

    public readonly int Position => _pos;

    public readonly bool AtEnd => _pos >= _buffer.Length;

    public readonly ReadOnlySpan<byte> Slice(int start, int end) => _buffer[start..end];

    /// <summary>The next octet, or 0 at the end of the frame.</summary>
    public readonly byte Peek()
    {
        return _pos < _buffer.Length ? _buffer[_pos] : (byte)0;
    }

    public readonly bool AtLineEnd
    {
        get
        {
            byte next = Peek();
            return next is (byte)'\r' or (byte)'\n' or 0;
        }
    }

    public void Advance(int count)
    {
        _pos += count;
    }

    public bool TrySkip(byte value)
    {
        if (Peek() == value)
        {
            _pos++;
            return true;
        }

        return false;
    }

    /// <summary>Consumes <paramref name="text"/> if the frame continues with exactly these octets.</summary>
    public bool TrySkipSame(ReadOnlySpan<byte> text)
    {
        if (!_buffer[_pos..].StartsWith(text))
        {
            return false;
        }

        _pos += text.Length;
        return true;
    }

    public void Expect(byte value)
    {
        if (!TrySkip(value))
        {
            throw Unexpected($"'{(char)value}'");
        }
    }

    /// <summary>Skips one or more spaces.</summary>
    /// <remarks>
    /// Note: RFC 9051 allows exactly one SP between tokens, but Exchange sends two before a closing bracket
    /// (<c>[COPYUID 14  ]</c>). Runs of spaces, also before a closing parenthesis, are accepted.
    /// </remarks>
    public void SkipSpaces()
    {
        while (Peek() == (byte)' ')
        {
            _pos++;
        }
    }

    public void ExpectSpace()
    {
        if (Peek() != (byte)' ')
        {
            throw Unexpected("a space");
        }

        SkipSpaces();
    }

    /// <summary>Reads the CRLF (or bare LF) that ends the response.</summary>
    public void ExpectLineEnd()
    {
        SkipSpaces();
        TrySkip((byte)'\r');
        if (!TrySkip((byte)'\n') || !AtEnd)
        {
            throw Unexpected("the end of the response");
        }
    }

    public void EnterList()
    {
        Expect((byte)'(');
        _depth++;
        if (_depth > _options.MaxNestingDepth)
        {
            throw new ImapParseException(ImapParseErrorReason.NestingTooDeep, _pos,
                $"Lists nest deeper than the limit of {_options.MaxNestingDepth}.");
        }
    }

    /// <summary>Reads the closing parenthesis of the current list if it is next, after any spaces.</summary>
    public bool TryLeaveList()
    {
        SkipSpaces();
        if (TrySkip((byte)')'))
        {
            _depth--;
            return true;
        }

        if (AtLineEnd)
        {
            throw Unexpected("')'");
        }

        return false;
    }

    public ReadOnlySpan<byte> ReadAtom()
    {
        return ReadUntil(s_atomEnd);
    }

    /// <summary>Reads one or more octets up to the first octet of <paramref name="end"/> or the end of the frame.</summary>
    public ReadOnlySpan<byte> ReadUntil(SearchValues<byte> end)
    {
        ReadOnlySpan<byte> rest = _buffer[_pos..];
        int length = rest.IndexOfAny(end);
        if (length < 0)
        {
            length = rest.Length;
        }

        if (length == 0)
        {
            throw Unexpected("an atom");
        }

        _pos += length;
        return rest[..length];
    }

    /// <summary>Reads the rest of the line (resp-text), leaving the CRLF.</summary>
    public ReadOnlySpan<byte> ReadText()
    {
        ReadOnlySpan<byte> rest = _buffer[_pos..];
        int length = rest.IndexOfAny((byte)'\r', (byte)'\n');
        if (length < 0)
        {
            length = rest.Length;
        }

        _pos += length;
        return rest[..length];
    }

    /// <summary>Reads everything up to the end of the frame.</summary>
    public ReadOnlySpan<byte> ReadRemaining()
    {
        ReadOnlySpan<byte> rest = _buffer[_pos..];
        _pos = _buffer.Length;
        return rest;
    }

    public uint ReadNumber()
    {
        ReadOnlySpan<byte> digits = ReadDigits();
        if (!Utf8Parser.TryParse(digits, out uint value, out int consumed) || consumed != digits.Length)
        {
            throw InvalidNumber(digits.Length);
        }

        return value;
    }

    public ulong ReadNumber64()
    {
        ReadOnlySpan<byte> digits = ReadDigits();
        if (!Utf8Parser.TryParse(digits, out ulong value, out int consumed) || consumed != digits.Length)
        {
            throw InvalidNumber(digits.Length);
        }

        return value;
    }

    public readonly bool PeekDigit()
    {
        return char.IsAsciiDigit((char)Peek());
    }

    /// <summary>Consumes NIL if it is the next token.</summary>
    public bool TryReadNil()
    {
        if ((Peek() | 0x20) != (byte)'n')
        {
            return false;
        }

        ReadOnlySpan<byte> rest = _buffer[_pos..];
        if (rest.Length >= 3 && Ascii.EqualsIgnoreCase(rest[..3], "NIL"u8)
            && (rest.Length == 3 || s_atomEnd.Contains(rest[3])))
        {
            _pos += 3;
            return true;
        }

        return false;
    }

    public readonly bool PeekLiteral()
    {
        byte next = Peek();
        return next == (byte)'{' || (next == (byte)'~' && _pos + 1 < _buffer.Length && _buffer[_pos + 1] == (byte)'{');
    }

    /// <summary>Reads nstring: null for NIL, else the string decoded as text.</summary>
    public string? ReadNString()
    {
        return TryReadNil() ? null : ReadAString();
    }

    /// <summary>Reads a quoted string, a literal or (leniently) an atom, decoded as text.</summary>
    /// <remarks>
    /// Note: Gmail sends labels such as <c>[Mailbox]</c> as atoms where RFC 9051 requires a string,
    /// so an atom is accepted wherever a string is.
    /// </remarks>
    public string ReadAString()
    {
        byte next = Peek();
        if (next == (byte)'"')
        {
            return ReadQuoted();
        }

        if (PeekLiteral())
        {
            return ImapText.Decode(ReadLiteralText());
        }

        return ImapText.Decode(ReadAtom());
    }

    /// <summary>Reads a string like <see cref="ReadNString"/>, returning shared instances for common values.</summary>
    public string? ReadNStringShared()
    {
        if (TryReadNil())
        {
            return null;
        }

        return TryReadSimpleString(out ReadOnlySpan<byte> value) ? KnownValues.Find(value) ?? Scratch.Strings.Get(value)
            : ReadAString();
    }

    /// <summary>Reads a string like <see cref="ReadNString"/>, returning the earlier instance of a value read recently.</summary>
    public string? ReadNStringRecent()
    {
        if (TryReadNil())
        {
            return null;
        }

        return TryReadSimpleString(out ReadOnlySpan<byte> value) ? Scratch.Strings.Get(value) : ReadAString();
    }

    /// <summary>Reads nstring and decodes its RFC 2047 encoded-words; null for NIL.</summary>
    /// <remarks>A value without encoded-words becomes one string, with no intermediate copy.</remarks>
    public string? ReadNStringWithEncodedWords()
    {
        if (TryReadNil())
        {
            return null;
        }

        return TryReadSimpleString(out ReadOnlySpan<byte> value) ? ImapText.DecodeEncodedWords(value)
            : EncodedWordDecoder.Decode(ReadAString());
    }

    /// <summary>Reads a media type or subtype, lower-cased.</summary>
    public string ReadMediaName()
    {
        return TryReadSimpleString(out ReadOnlySpan<byte> value) ? KnownValues.LowerCaseMediaName(value)
            : ReadAString().ToLowerInvariant();
    }

    /// <summary>Reads a quoted string without escapes or an atom as its raw octets; false for anything else.</summary>
    /// <remarks>Nothing is consumed when it returns false.</remarks>
    public bool TryReadSimpleString(out ReadOnlySpan<byte> value)
    {
        value = default;
        byte next = Peek();
        if (next == (byte)'"')
        {
            ReadOnlySpan<byte> rest = _buffer[(_pos + 1)..];
            int stop = rest.IndexOfAny(s_quotedStop);
            if (stop < 0 || rest[stop] != (byte)'"')
            {
                return false;
            }

            value = rest[..stop];
            _pos += stop + 2;
            return true;
        }

        if (next is (byte)'{' or (byte)'~' or (byte)'(' or (byte)')')
        {
            return false;
        }

        value = ReadAtom();
        return true;
    }

    /// <summary>Reads nstring as octets for body payloads; null for NIL.</summary>
    /// <returns>False when the payload is a literal whose octets follow outside this frame (streamed).</returns>
    public bool TryReadPayload(out ReadOnlySpan<byte> payload, out bool isNil, out long streamedLength)
    {
        payload = default;
        isNil = false;
        streamedLength = 0;
        if (TryReadNil())
        {
            isNil = true;
            return true;
        }

        if (!PeekLiteral())
        {
            // Payloads are octets, so an unescaped quoted string is taken as sent instead of decoded.
            payload = TryReadSimpleString(out ReadOnlySpan<byte> simple) ? simple : Encoding.UTF8.GetBytes(ReadAString());
            return true;
        }

        long length = ReadLiteralHeader();
        if (_pos == _buffer.Length && _streamTail && length > 0)
        {
            streamedLength = length;
            return false;
        }

        payload = TakeLiteral(length);
        return true;
    }

    private string ReadQuoted()
    {
        int start = _pos;
        ReadOnlySpan<byte> rest = _buffer[(_pos + 1)..];
        int length = 0;
        bool escaped = false;
        while (true)
        {
            int stop = rest[length..].IndexOfAny(s_quotedStop);
            if (stop < 0 || rest[length + stop] is (byte)'\r' or (byte)'\n')
            {
                throw new ImapParseException(ImapParseErrorReason.InvalidQuotedString, start,
                    "A quoted string has no closing quote before the end of the line.");
            }

            length += stop;
            if (rest[length] == (byte)'"')
            {
                break;
            }

            // A backslash escapes only '"' and '\' (RFC 9051 section 9, quoted-specials); any other
            // backslash is kept as an ordinary octet.
            bool escapes = length + 1 < rest.Length && rest[length + 1] is (byte)'"' or (byte)'\\';
            escaped |= escapes;
            length += escapes ? 2 : 1;
        }

        _pos += length + 2;
        ReadOnlySpan<byte> content = rest[..length];
        return escaped ? Unescape(content) : ImapText.Decode(content);
    }

    private static string Unescape(ReadOnlySpan<byte> content)
    {
        byte[]? rented = null;
        Span<byte> scratch = content.Length <= 256
            ? stackalloc byte[256]
            : (rented = ArrayPool<byte>.Shared.Rent(content.Length));
        try
        {
            int length = 0;
            for (int i = 0; i < content.Length; i++)
            {
                if (content[i] == (byte)'\\' && i + 1 < content.Length && content[i + 1] is (byte)'"' or (byte)'\\')
                {
                    i++;
                }

                scratch[length++] = content[i];
            }

            return ImapText.Decode(scratch[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private ReadOnlySpan<byte> ReadLiteralText()
    {
        long length = ReadLiteralHeader();
        if (_pos == _buffer.Length && _streamTail && length > 0)
        {
            throw new StreamNotAllowedException();
        }

        int start = _pos;
        ReadOnlySpan<byte> literal = TakeLiteral(length);
        if (_options.AllowLiteralCharacterCount && !IsTokenBoundary(Peek()))
        {
            // Note: DavMail 6 announces the UTF-16 character count instead of the octet count when a
            // name contains non-ASCII text, against RFC 9051 section 4.3. Counting characters from the
            // literal start recovers the value when that count ends at a token boundary.
            int end = FindCharacterCountEnd(_buffer[start..], (int)length);
            if (end > 0 && IsTokenBoundary(start + end < _buffer.Length ? _buffer[start + end] : (byte)0))
            {
                _pos = start + end;
                return _buffer.Slice(start, end);
            }
        }

        return literal;
    }

    private static bool IsTokenBoundary(byte b)
    {
        return b is (byte)' ' or (byte)')' or (byte)'(' or (byte)']' or (byte)'\r' or (byte)'\n' or 0;
    }

    /// <summary>Returns the octet length of the first <paramref name="characters"/> UTF-16 characters, or -1.</summary>
    private static int FindCharacterCountEnd(ReadOnlySpan<byte> text, int characters)
    {
        int offset = 0;
        while (characters > 0)
        {
            if (Rune.DecodeFromUtf8(text[offset..], out Rune rune, out int consumed) != OperationStatus.Done)
            {
                return -1;
            }

            offset += consumed;
            characters -= rune.Utf16SequenceLength;
        }

        return characters == 0 ? offset : -1;
    }

    private long ReadLiteralHeader()
    {
        int start = _pos;
        TrySkip((byte)'~');
        Expect((byte)'{');
        ReadOnlySpan<byte> digits = ReadDigits();
        if (!Utf8Parser.TryParse(digits, out long length, out int consumed) || consumed != digits.Length)
        {
            throw new ImapParseException(ImapParseErrorReason.InvalidLiteral, start, "A literal length is invalid.");
        }

        TrySkip((byte)'+');
        Expect((byte)'}');
        TrySkip((byte)'\r');
        if (!TrySkip((byte)'\n'))
        {
            throw new ImapParseException(ImapParseErrorReason.InvalidLiteral, start,
                "A literal announcement is not followed by a line end.");
        }

        return length;
    }

    private ReadOnlySpan<byte> TakeLiteral(long length)
    {
        if (length > _buffer.Length - _pos)
        {
            throw new ImapParseException(ImapParseErrorReason.UnexpectedEnd, _pos,
                "A literal extends past the end of the response.");
        }

        ReadOnlySpan<byte> literal = _buffer.Slice(_pos, (int)length);
        _pos += (int)length;
        return literal;
    }

    private ReadOnlySpan<byte> ReadDigits()
    {
        ReadOnlySpan<byte> rest = _buffer[_pos..];
        int length = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (length < 0)
        {
            length = rest.Length;
        }

        if (length == 0)
        {
            throw Unexpected("a number");
        }

        _pos += length;
        return rest[..length];
    }

    /// <summary>Skips one value of any kind: atom, number, string, literal or a balanced list.</summary>
    public void SkipValue()
    {
        if (TryReadNil())
        {
            return;
        }

        byte next = Peek();
        if (next == (byte)'(')
        {
            EnterList();
            while (!TryLeaveList())
            {
                SkipValue();
            }

            return;
        }

        if (next == (byte)'"' || PeekLiteral())
        {
            ReadAString();
            return;
        }

        if (next == (byte)')')
        {
            throw Unexpected("a value");
        }

        ReadAtomWithBrackets();
    }

    /// <summary>Reads <c>[section]</c> and returns the text between the brackets.</summary>
    public ReadOnlySpan<byte> ReadSection()
    {
        Expect((byte)'[');
        ReadOnlySpan<byte> rest = _buffer[_pos..];
        int close = rest.IndexOfAny((byte)']', (byte)'\r', (byte)'\n');
        if (close < 0 || rest[close] != (byte)']')
        {
            throw Unexpected("']'");
        }

        _pos += close + 1;
        return rest[..close];
    }

    /// <summary>Reads an atom that may contain a bracketed part with spaces, such as <c>BODY[HEADER.FIELDS (A B)]</c>.</summary>
    public ReadOnlySpan<byte> ReadAtomWithBrackets()
    {
        int start = _pos;
        while (true)
        {
            int rest = _buffer.Length - _pos;
            int length = _buffer[_pos..].IndexOfAny(s_atomEnd);
            int bracket = _buffer[_pos..].IndexOf((byte)'[');
            if (length < 0)
            {
                length = rest;
            }

            if (bracket < 0 || bracket > length)
            {
                _pos += length;
                break;
            }

            int close = _buffer[(_pos + bracket)..].IndexOfAny((byte)']', (byte)'\r', (byte)'\n');
            if (close < 0 || _buffer[_pos + bracket + close] != (byte)']')
            {
                throw Unexpected("']'");
            }

            _pos += bracket + close + 1;
        }

        if (_pos == start)
        {
            throw Unexpected("an atom");
        }

        return _buffer[start.._pos];
    }

    public readonly ImapParseException Unexpected(string expected)
    {
        if (AtEnd)
        {
            return new ImapParseException(ImapParseErrorReason.UnexpectedEnd, _pos,
                $"The response ended where {expected} was expected.");
        }

        return new ImapParseException(ImapParseErrorReason.UnexpectedToken, _pos,
            $"Found 0x{Peek():X2} at offset {_pos} where {expected} was expected.");
    }

    private readonly ImapParseException InvalidNumber(int length)
    {
        return new ImapParseException(ImapParseErrorReason.InvalidNumber, _pos - length,
            $"A number of {length} digits at offset {_pos - length} is out of range.");
    }
}

/// <summary>Decodes protocol strings to text.</summary>
internal static class ImapText
{
    /// <summary>
    /// Decodes as UTF-8, or as Latin-1 when the octets are not valid UTF-8, so no server string is rejected.
    /// </summary>
    /// <remarks>
    /// Note: without UTF8=ACCEPT, RFC 3501 strings are 7-bit, but Proton Bridge sends raw UTF-8 header text
    /// in ENVELOPE and other servers send 8-bit BODYSTRUCTURE parameters and response text.
    /// </remarks>
    public static string Decode(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        // ASCII, the usual case, widens without the UTF-8 decoder.
        if (Ascii.IsValid(value))
        {
            return Encoding.Latin1.GetString(value);
        }

        return Utf8.IsValid(value) ? Encoding.UTF8.GetString(value) : Encoding.Latin1.GetString(value);
    }

    /// <summary>Decodes protocol octets as text (see <see cref="Decode"/>), then its RFC 2047 encoded-words.</summary>
    public static string DecodeEncodedWords(ReadOnlySpan<byte> value)
    {
        if (value.IndexOf("=?"u8) < 0)
        {
            return Decode(value);
        }

        if (!Ascii.IsValid(value))
        {
            return EncodedWordDecoder.Decode(Decode(value));
        }

        // Encoded-words are ASCII, and so is the text around them here: it is widened into a stack or pooled
        // buffer instead of becoming a string that only lives until it is decoded.
        const int StackLimit = 256;
        char[]? rented = null;
        Span<char> text = value.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            int length = Encoding.Latin1.GetChars(value, text);
            return EncodedWordDecoder.Decode(text[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
