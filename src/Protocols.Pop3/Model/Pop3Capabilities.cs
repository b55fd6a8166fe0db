using System.Globalization;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// The server's CAPA response (RFC 2449 section 5): one capability a line, a keyword and its arguments.
/// </summary>
/// <remarks>
/// A server that predates CAPA replies to it with -ERR. <see cref="IsAdvertised"/> is then false and every
/// capability reads as absent, although such a server may still implement TOP and UIDL.
/// </remarks>
public sealed class Pop3Capabilities
{
    private static readonly char[] s_whitespace = [' ', '\t'];

    private readonly Dictionary<string, string[]> _capabilities;

    private Pop3Capabilities(bool isAdvertised, IReadOnlyList<string> lines)
    {
        IsAdvertised = isAdvertised;
        Lines = lines;
        _capabilities = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines)
        {
            string[] words = line.Split(s_whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0)
            {
                _capabilities.TryAdd(words[0], words[1..]);
            }
        }
    }

    /// <summary>The capabilities of a server that replied to CAPA with -ERR.</summary>
    public static Pop3Capabilities None { get; } = new(isAdvertised: false, []);

    /// <summary>Whether the server replied to CAPA with a list.</summary>
    public bool IsAdvertised { get; }

    /// <summary>The capability lines as the server sent them, without dot-stuffing.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The SASL mechanisms from the SASL capability (RFC 5034); empty when absent.</summary>
    public IReadOnlyList<string> SaslMechanisms => GetArguments("SASL") ?? [];

    /// <summary>
    /// Whether the server advertises SASL (RFC 5034). Only then does the client put an initial response on the AUTH
    /// line.
    /// </summary>
    public bool SupportsSasl => Contains("SASL");

    public bool SupportsStls => Contains("STLS");

    public bool SupportsTop => Contains("TOP");

    public bool SupportsUidl => Contains("UIDL");

    public bool SupportsUser => Contains("USER");

    /// <summary>Whether the server accepts a batch of commands before the replies (RFC 2449 section 6.6).</summary>
    public bool SupportsPipelining => Contains("PIPELINING");

    /// <summary>Whether -ERR texts may start with a bracketed response code (RFC 2449 section 6.4).</summary>
    public bool SupportsResponseCodes => Contains("RESP-CODES");

    /// <summary>
    /// The minimum number of seconds between logins from LOGIN-DELAY (RFC 2449 section 6.5), or null when absent or
    /// not a number.
    /// </summary>
    public int? LoginDelaySeconds
    {
        get
        {
            IReadOnlyList<string>? arguments = GetArguments("LOGIN-DELAY");
            return arguments is [string first, ..]
                && int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
                    ? seconds
                    : null;
        }
    }

    /// <summary>The server's IMPLEMENTATION text (RFC 2449 section 6.9), or null.</summary>
    public string? Implementation =>
        GetArguments("IMPLEMENTATION") is { Count: > 0 } arguments ? string.Join(' ', arguments) : null;

    /// <summary>Whether the capability keyword is advertised; keywords compare case-insensitively.</summary>
    public bool Contains(string keyword) => _capabilities.ContainsKey(keyword);

    /// <summary>
    /// Returns the arguments that follow <paramref name="keyword"/>, or null when it is not advertised.
    /// </summary>
    public IReadOnlyList<string>? GetArguments(string keyword) =>
        _capabilities.TryGetValue(keyword, out string[]? arguments) ? arguments : null;

    internal static Pop3Capabilities Parse(IReadOnlyList<string> lines) => new(isAdvertised: true, lines);

    public override string ToString() => IsAdvertised ? string.Join(" | ", Lines) : "(no CAPA)";
}
