using System.Globalization;

namespace RawMail.Protocols.Smtp;

/// <summary>What a server announced in its EHLO reply (RFC 5321 section 4.1.1.1).</summary>
public sealed class SmtpCapabilities
{
    private static readonly Dictionary<string, SmtpExtensions> s_knownKeywords =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["SIZE"] = SmtpExtensions.Size,
            ["8BITMIME"] = SmtpExtensions.EightBitMime,
            ["SMTPUTF8"] = SmtpExtensions.SmtpUtf8,
            ["PIPELINING"] = SmtpExtensions.Pipelining,
            ["CHUNKING"] = SmtpExtensions.Chunking,
            ["DSN"] = SmtpExtensions.Dsn,
            ["ENHANCEDSTATUSCODES"] = SmtpExtensions.EnhancedStatusCodes,
            ["REQUIRETLS"] = SmtpExtensions.RequireTls,
            ["STARTTLS"] = SmtpExtensions.StartTls,
            ["AUTH"] = SmtpExtensions.Authentication,
            ["BINARYMIME"] = SmtpExtensions.BinaryMime,
        };

    private SmtpCapabilities(
        bool isExtended,
        string domain,
        SmtpExtensions extensions,
        long? maxMessageSize,
        IReadOnlyList<string> mechanisms,
        IReadOnlyDictionary<string, string> keywords)
    {
        IsExtended = isExtended;
        Domain = domain;
        Extensions = extensions;
        MaxMessageSize = maxMessageSize;
        AuthenticationMechanisms = mechanisms;
        Keywords = keywords;
    }

    /// <summary>The capabilities of a server that accepted only HELO, or of a session before its first EHLO.</summary>
    public static SmtpCapabilities None { get; } = new(false, string.Empty, SmtpExtensions.None, null, [],
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>False when the server rejected EHLO and the session fell back to HELO, so no extension is used.</summary>
    public bool IsExtended { get; }

    /// <summary>The first word of the EHLO reply, the server's own domain name.</summary>
    public string Domain { get; }

    public SmtpExtensions Extensions { get; }

    /// <summary>
    /// The SIZE value (RFC 1870 section 4): the largest message in bytes the server accepts. Null when SIZE is not
    /// announced; 0 when it is announced without a limit.
    /// </summary>
    public long? MaxMessageSize { get; }

    /// <summary>The SASL mechanisms from every AUTH and AUTH= line, upper-case and without duplicates.</summary>
    public IReadOnlyList<string> AuthenticationMechanisms { get; }

    /// <summary>Every keyword, upper-case, with its parameters as sent; the first line wins for a duplicate.</summary>
    public IReadOnlyDictionary<string, string> Keywords { get; }

    public bool Supports(SmtpExtensions extensions) => (Extensions & extensions) == extensions;

    /// <summary>
    /// Builds the capabilities from a 250 reply to EHLO. The first line is the server's greeting; each later line
    /// is a keyword and its parameters, compared case-insensitively (RFC 5321 section 2.4).
    /// </summary>
    public static SmtpCapabilities Parse(SmtpReply ehloReply)
    {
        ArgumentNullException.ThrowIfNull(ehloReply);
        var keywords = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var mechanisms = new List<string>();
        SmtpExtensions extensions = SmtpExtensions.None;
        long? maxSize = null;

        for (int i = 1; i < ehloReply.Lines.Count; i++)
        {
            (string keyword, string parameters) = SplitKeyword(ehloReply.Lines[i]);
            if (keyword.Length == 0)
            {
                continue;
            }

            keywords.TryAdd(keyword, parameters);
            if (s_knownKeywords.TryGetValue(keyword, out SmtpExtensions extension))
            {
                extensions |= extension;
            }

            if (extension == SmtpExtensions.Authentication)
            {
                AddMechanisms(mechanisms, parameters);
            }
            else if (extension == SmtpExtensions.Size && maxSize is null)
            {
                maxSize = ParseSize(parameters);
            }
        }

        string greeting = ehloReply.Lines.Count > 0 ? ehloReply.Lines[0] : string.Empty;
        int space = greeting.IndexOf(' ', StringComparison.Ordinal);
        string domain = space < 0 ? greeting : greeting[..space];
        return new SmtpCapabilities(true, domain, extensions, maxSize, mechanisms, keywords);
    }

    // Splits "AUTH PLAIN LOGIN" and the pre-standard "AUTH=PLAIN LOGIN" (still sent by Postfix with
    // broken_sasl_auth_clients and by Apache James) into the keyword and its parameters.
    private static (string Keyword, string Parameters) SplitKeyword(string line)
    {
        string trimmed = line.Trim(' ');
        int end = trimmed.IndexOf(' ', StringComparison.Ordinal);
        string keyword = end < 0 ? trimmed : trimmed[..end];
        string parameters = end < 0 ? string.Empty : trimmed[(end + 1)..].Trim(' ');
        if (keyword.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
        {
            string first = keyword["AUTH=".Length..];
            parameters = parameters.Length == 0 ? first : first + " " + parameters;
            keyword = "AUTH";
        }

        return (keyword.ToUpperInvariant(), parameters);
    }

    private static void AddMechanisms(List<string> mechanisms, string parameters)
    {
        foreach (string name in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string upper = name.ToUpperInvariant();
            if (!mechanisms.Contains(upper))
            {
                mechanisms.Add(upper);
            }
        }
    }

    private static long ParseSize(string parameters)
    {
        // A missing or unreadable number means that the server states no fixed limit (RFC 1870 section 4).
        return long.TryParse(parameters, NumberStyles.None, CultureInfo.InvariantCulture, out long size) ? size : 0;
    }
}
