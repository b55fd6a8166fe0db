using System.Text;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>
/// A small cache of recently read short ASCII values, such as the hosts and mailboxes of envelope addresses,
/// which repeat across the messages of a mailbox. A hit returns the earlier string instead of a new one.
/// </summary>
/// <remarks>
/// Direct-mapped: each value hashes to one slot and replaces what was there, so the cache never grows and a
/// lookup is one comparison. One instance belongs to one parser.
/// </remarks>
internal sealed class RecentStrings
{
    private const int SlotCount = 256;
    private const int MaxLength = 64;

    private readonly string?[] _slots = new string?[SlotCount];

    public string Get(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        if (value.Length > MaxLength || !Ascii.IsValid(value))
        {
            return ImapText.Decode(value);
        }

        int slot = Hash(value) & (SlotCount - 1);
        string? cached = _slots[slot];
        if (cached is not null && Ascii.Equals(value, cached))
        {
            return cached;
        }

        string created = Encoding.ASCII.GetString(value);
        _slots[slot] = created;
        return created;
    }

    private static int Hash(ReadOnlySpan<byte> value)
    {
        // FNV-1a over at most 64 octets: cheap, and it spreads values that differ in one character.
        uint hash = 2166136261;
        foreach (byte b in value)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash ^ (hash >> 16));
    }
}
