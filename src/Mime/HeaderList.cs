using System.Collections;

namespace RawMail.Mime;

/// <summary>One header field: its name and its unfolded value as written (encoded-words kept).</summary>
public sealed class Header
{
    /// <summary>Creates a header field, rejecting names and values that would break the header.</summary>
    public Header(string name, string value)
    {
        HeaderValidation.CheckName(name);
        HeaderValidation.Check(name, value);
        Name = name;
        Value = value;
    }

    private Header(string name, string value, bool trusted)
    {
        _ = trusted;
        Name = name;
        Value = value;
    }

    public string Name { get; }

    /// <summary>The unfolded value; encoded-words are decoded by <see cref="DecodedValue"/>.</summary>
    public string Value { get; }

    /// <summary>The value with RFC 2047 encoded-words decoded, for unstructured fields.</summary>
    public string DecodedValue => EncodedWordDecoder.Decode(Value);

    // Parsed values may contain anything a peer sent; they are re-validated only when written.
    internal static Header FromParsed(string name, string value) => new(name, value, trusted: true);

    public override string ToString() => Name + ": " + Value;
}

/// <summary>Ordered header fields; a name may repeat, and names compare case-insensitively.</summary>
public sealed class HeaderList : IEnumerable<Header>
{
    private readonly List<Header> _headers = [];

    public int Count => _headers.Count;

    public Header this[int index] => _headers[index];

    /// <summary>Appends a field; throws <see cref="ArgumentException"/> on CR, LF or NUL.</summary>
    public void Add(string name, string value) => _headers.Add(new Header(name, value));

    public void Add(Header header) => _headers.Add(header);

    /// <summary>Returns the first value of a field, or null.</summary>
    public string? GetFirst(string name)
    {
        foreach (Header header in _headers)
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Returns every value of a field in order.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? values = null;
        foreach (Header header in _headers)
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                (values ??= []).Add(header.Value);
            }
        }

        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Removes every field with the name; returns how many were removed.</summary>
    public int RemoveAll(string name) =>
        _headers.RemoveAll(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public IEnumerator<Header> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Rejects caller-supplied header text that could inject lines (CR, LF) or NUL.</summary>
internal static class HeaderValidation
{
    public static void Check(string headerName, string? value)
    {
        if (value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException(
                $"The value for header '{headerName}' contains CR, LF or NUL, which would start a new header line.",
                nameof(value));
        }
    }

    public static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        // RFC 5322 section 3.6.8: field names are printable ASCII other than ':'.
        foreach (char c in name)
        {
            if (c is <= ' ' or > '~' or ':')
            {
                throw new ArgumentException($"The header name '{name}' contains a character not allowed in a "
                    + "field name (control, space, ':' or non-ASCII).", nameof(name));
            }
        }
    }
}
