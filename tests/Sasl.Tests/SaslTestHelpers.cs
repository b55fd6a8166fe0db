using System.Text;

namespace RawMail.Sasl.Tests;

internal static class SaslTestHelpers
{
    public static readonly SaslContext ImapContext = new("imap.example.com", 993, "imap");

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static string Text(SaslResponse response) => Encoding.UTF8.GetString(response.Span);

    // Every mechanism under test completes synchronously with a fixed token provider, so waiting
    // here never blocks a thread; FsCheck properties need the synchronous form.
    public static SaslResponse CreateInitial(SaslMechanism mechanism, SaslContext? context = null)
    {
        ValueTask<SaslResponse?> pending = mechanism.CreateInitialResponseAsync(context ?? ImapContext,
            CancellationToken.None);
        Assert.True(pending.IsCompletedSuccessfully);
        SaslResponse? response = pending.AsTask().GetAwaiter().GetResult();
        Assert.NotNull(response);
        return response;
    }

    // Splits an XOAUTH2 message into user and token, the way a server reads it.
    public static (string User, string Token) DecodeXOAuth2(ReadOnlySpan<byte> message)
    {
        string text = Encoding.UTF8.GetString(message);
        Assert.EndsWith("\u0001\u0001", text, StringComparison.Ordinal);
        string[] parts = text[..^2].Split('\u0001');
        Assert.Equal(2, parts.Length);
        Assert.StartsWith("user=", parts[0], StringComparison.Ordinal);
        Assert.StartsWith("auth=Bearer ", parts[1], StringComparison.Ordinal);
        return (parts[0]["user=".Length..], parts[1]["auth=Bearer ".Length..]);
    }

    // Splits an OAUTHBEARER message into authzid, host, port and token (RFC 7628 section 3.1).
    public static (string User, string Host, string Port, string Token) DecodeOAuthBearer(ReadOnlySpan<byte> message)
    {
        string text = Encoding.UTF8.GetString(message);
        int headerEnd = text.IndexOf(",\u0001", StringComparison.Ordinal);
        Assert.True(headerEnd > 0);
        string header = text[..headerEnd];
        Assert.StartsWith("n,a=", header, StringComparison.Ordinal);
        Assert.True(SaslName.TryUnescape(header.AsSpan("n,a=".Length), out string user));

        string[] pairs = text[(headerEnd + 2)..].Split('\u0001');
        Assert.Equal(5, pairs.Length);
        Assert.Equal("", pairs[3]);
        Assert.Equal("", pairs[4]);
        return (user, pairs[0]["host=".Length..], pairs[1]["port=".Length..], pairs[2]["auth=Bearer ".Length..]);
    }

    public static (string AuthorizationId, string User, string Password) DecodePlain(ReadOnlySpan<byte> message)
    {
        string[] parts = Encoding.UTF8.GetString(message).Split('\0');
        Assert.Equal(3, parts.Length);
        return (parts[0], parts[1], parts[2]);
    }
}
