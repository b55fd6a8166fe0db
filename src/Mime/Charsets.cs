using System.Collections.Concurrent;
using System.Text;

namespace RawMail.Mime;

/// <summary>Charset lookup by MIME name, with the legacy code pages registered.</summary>
internal static class Charsets
{
    // Names beyond this many are looked up again each time instead of cached, so hostile input
    // naming new charsets cannot grow the cache without bound.
    private const int MaxCachedNames = 256;

    private static readonly Encoding s_strictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    // Encoding.GetEncoding takes a lock in the code-pages provider, so resolved names are cached.
    // Null marks a name that resolved to no usable encoding.
    private static readonly ConcurrentDictionary<string, Encoding?> s_byName = new(StringComparer.OrdinalIgnoreCase);

    static Charsets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static Encoding Latin1 => Encoding.Latin1;

    /// <summary>Finds the encoding for a charset name; an RFC 2231 language suffix is ignored.</summary>
    public static bool TryGet(string? name, out Encoding encoding)
    {
        encoding = Encoding.UTF8;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        int star = name.IndexOf('*', StringComparison.Ordinal);
        string trimmed = (star >= 0 ? name[..star] : name).Trim();
        if (trimmed.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!s_byName.TryGetValue(trimmed, out Encoding? found))
        {
            found = Resolve(trimmed);
            if (s_byName.Count < MaxCachedNames)
            {
                s_byName.TryAdd(trimmed, found);
            }
        }

        encoding = found ?? Encoding.UTF8;
        return found is not null;
    }

    private static Encoding? Resolve(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // .NET resolves UTF-7 by name but throws NotSupportedException for it (SYSLIB0001), so the caller treats it as unknown.
            return null;
        }
    }

    /// <summary>
    /// Decodes bytes with a declared charset; without a known one, as UTF-8 when valid, else
    /// Latin-1 so every byte stays visible.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? charset, out bool known)
    {
        known = TryGet(charset, out Encoding encoding);
        if (known)
        {
            return encoding.GetString(bytes);
        }

        return DecodeUndeclared(bytes);
    }

    /// <summary>Decodes bytes with no declared charset: UTF-8 when valid (RFC 6532), else Latin-1.</summary>
    public static string DecodeUndeclared(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Latin1.GetString(bytes);
        }
    }
}
