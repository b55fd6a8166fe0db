using System.Runtime.CompilerServices;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>
/// Reusable state of one parser: stacks that collect list items while a list is read, so the model gets an array
/// of the exact size instead of a growing <see cref="List{T}"/> per list, and a cache of recent strings.
/// </summary>
internal sealed class ParseScratch
{
    public ScratchStack<KeyValuePair<string, string>> Parameters { get; } = new();

    public ScratchStack<BodyPart> Parts { get; } = new();

    public ScratchStack<EnvelopeAddress> Addresses { get; } = new();

    public ScratchStack<MailboxAddress> Members { get; } = new();

    public ScratchStack<string> Keywords { get; } = new();

    /// <summary>Recently read hosts, mailboxes and field values, shared between responses.</summary>
    public RecentStrings Strings { get; } = new();

    /// <summary>Recent parameter arrays, shared by parts whose parameters are the same string instances.</summary>
    public RecentParameters ParameterArrays { get; } = new();

    /// <summary>Drops what a failed parse left behind.</summary>
    public void Reset()
    {
        Parameters.Reset();
        Parts.Reset();
        Addresses.Reset();
        Members.Reset();
        Keywords.Reset();
    }
}

/// <summary>
/// A direct-mapped cache of recent parameter arrays. Parameter names and common values are shared string
/// instances, so parts such as <c>("charset" "utf-8")</c> repeat the same references and can share one array,
/// which the model never exposes for writing.
/// </summary>
internal sealed class RecentParameters
{
    private const int SlotCount = 64;

    private readonly KeyValuePair<string, string>[]?[] _slots = new KeyValuePair<string, string>[]?[SlotCount];

    /// <summary>
    /// Removes the items from <paramref name="start"/> on and returns them as an array, or as an earlier array with
    /// the same string instances.
    /// </summary>
    public KeyValuePair<string, string>[] PopToArray(ScratchStack<KeyValuePair<string, string>> stack, int start)
    {
        ReadOnlySpan<KeyValuePair<string, string>> items = stack.Items(start);
        if (items.IsEmpty)
        {
            return [];
        }

        int hash = items.Length;
        foreach (KeyValuePair<string, string> item in items)
        {
            hash = HashCode.Combine(hash, RuntimeHelpers.GetHashCode(item.Key), RuntimeHelpers.GetHashCode(item.Value));
        }

        int slot = hash & (SlotCount - 1);
        KeyValuePair<string, string>[]? cached = _slots[slot];
        if (cached is null || !SameReferences(cached, items))
        {
            cached = items.ToArray();
            _slots[slot] = cached;
        }

        stack.Truncate(start);
        return cached;
    }

    private static bool SameReferences(KeyValuePair<string, string>[] cached,
        ReadOnlySpan<KeyValuePair<string, string>> items)
    {
        if (cached.Length != items.Length)
        {
            return false;
        }

        for (int i = 0; i < items.Length; i++)
        {
            if (!ReferenceEquals(cached[i].Key, items[i].Key) || !ReferenceEquals(cached[i].Value, items[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A stack of items that nested readers share: each reader notes <see cref="Count"/> before it pushes its items
/// and takes exactly those with <see cref="PopToArray"/>, so inner lists finish before outer ones resume.
/// </summary>
internal sealed class ScratchStack<T>
{
    private T[] _items = new T[16];
    private int _count;

    public int Count => _count;

    public T this[int index] => _items[index];

    public void Push(T item)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count++] = item;
    }

    /// <summary>Removes the items from <paramref name="start"/> on and returns them in push order.</summary>
    public T[] PopToArray(int start)
    {
        if (start == _count)
        {
            return [];
        }

        T[] result = _items.AsSpan(start, _count - start).ToArray();
        Truncate(start);
        return result;
    }

    /// <summary>The items from <paramref name="start"/> on, valid until the next push or truncation.</summary>
    public ReadOnlySpan<T> Items(int start) => _items.AsSpan(start, _count - start);

    public void Reset()
    {
        Truncate(0);
    }

    /// <summary>Drops the items from <paramref name="count"/> on.</summary>
    public void Truncate(int count)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Cleared so the stack does not keep parsed model objects alive.
            _items.AsSpan(count, _count - count).Clear();
        }

        _count = count;
    }
}
