using System.Collections;

namespace RawMail.Protocols.Imap.Model;

/// <summary>
/// The parameters of a Content-Type or Content-Disposition in server order: a view over the array its part
/// stores, so reading them allocates nothing.
/// </summary>
public readonly struct BodyParameters : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly KeyValuePair<string, string>[]? _items;
    private readonly int _start;

    internal BodyParameters(KeyValuePair<string, string>[] items, int start, int count)
    {
        _items = items;
        _start = start;
        Count = count;
    }

    public int Count { get; }

    public KeyValuePair<string, string> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _items![_start + index];
        }
    }

    /// <summary>Returns the value of the first parameter with this name, compared case-insensitively, or null.</summary>
    public string? Find(string name)
    {
        foreach (KeyValuePair<string, string> parameter in this)
        {
            if (string.Equals(parameter.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter.Value;
            }
        }

        return null;
    }

    public ReadOnlySpan<KeyValuePair<string, string>> AsSpan() => _items.AsSpan(_start, Count);

    public ReadOnlySpan<KeyValuePair<string, string>>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return _items![_start + i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)this).GetEnumerator();
}
