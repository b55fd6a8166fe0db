using System.Text;
using static RawMail.Sasl.Tests.SaslTestHelpers;

namespace RawMail.Sasl.Tests;

// Drives mechanisms the way IMAP, SMTP and POP3 clients do, with the server's continuation
// payloads as base64 text and the client's lines as the output, to pin the whole exchange.
public sealed class SaslExchangeTests
{
    private const string AliceXOAuth2 =
        "dXNlcj1hbGljZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LkVYQU1QTEUtQUNDRVNTLVRPS0VOAQE=";

    private static async Task<List<string>> RunAsync(SaslMechanism mechanism, SaslContext context, bool inline,
        params string[] serverContinuations)
    {
        var clientLines = new List<string>();
        using SaslResponse? initial = await mechanism.CreateInitialResponseAsync(context, CancellationToken.None);
        bool initialPending = initial is not null && !inline;
        string command = inline && initial is not null
            ? $"AUTH {mechanism.Name} {initial.ToBase64()}"
            : $"AUTH {mechanism.Name}";
        clientLines.Add(command);

        foreach (string continuation in serverContinuations)
        {
            byte[] challenge = Convert.FromBase64String(continuation);
            if (initialPending)
            {
                Assert.Empty(challenge);
                clientLines.Add(initial!.ToBase64());
                initialPending = false;
                continue;
            }

            using SaslResponse response = mechanism.EvaluateChallenge(challenge);
            clientLines.Add(response.ToBase64());
        }

        return clientLines;
    }

    private static XOAuth2Mechanism Alice() =>
        new("alice@example.com", AccessTokenProvider.FromToken("ya29.EXAMPLE-ACCESS-TOKEN"));

    [Fact]
    public async Task GmailSmtp_ErrorChallengeGetsEmptyLine()
    {
        var mechanism = Alice();

        List<string> lines = await RunAsync(mechanism, new SaslContext("smtp.gmail.com", 587, "smtp"), inline: true,
            "eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==");

        Assert.Equal(["AUTH XOAUTH2 " + AliceXOAuth2, ""], lines);
        Assert.Equal("400", mechanism.OAuthError!.Status);
        Assert.Equal("https://mail.google.com/", mechanism.OAuthError.Scope);
    }

    [Fact]
    public async Task Office365Pop3_TwoStep()
    {
        var mechanism = Alice();

        List<string> lines = await RunAsync(mechanism, new SaslContext("outlook.office365.com", 995, "pop"),
            inline: false, "");

        Assert.Equal(["AUTH XOAUTH2", AliceXOAuth2], lines);
        Assert.False(mechanism.HasServerError);
    }

    [Fact]
    public async Task YandexCodeOnlyContinuation_TwoStep()
    {
        // "334" without text is an empty challenge, the same as "334 ".
        List<string> lines = await RunAsync(Alice(), new SaslContext("smtp.example.net", 587, "smtp"),
            inline: false, "");

        Assert.Equal(["AUTH XOAUTH2", AliceXOAuth2], lines);
    }

    [Fact]
    public async Task OAuthBearerFailure_DummyResponse()
    {
        var mechanism = new OAuthBearerMechanism("alice@example.com",
            AccessTokenProvider.FromToken("EXAMPLE-ACCESS-TOKEN"));

        List<string> lines = await RunAsync(mechanism, new SaslContext("smtp.example.com", 587, "smtp"), inline: true,
            "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJodHRwczovL21haWwuZXhhbXBsZS5jb20vIiwib3BlbmlkLWNvbmZpZ3Vy"
            + "YXRpb24iOiJodHRwczovL2lkcC5leGFtcGxlLmNvbS8ud2VsbC1rbm93bi9vcGVuaWQtY29uZmlndXJhdGlvbiJ9");

        Assert.Equal(["AUTH OAUTHBEARER bixhPWFsaWNlQGV4YW1wbGUuY29tLAFob3N0PXNtdHAuZXhhbXBsZS5jb20BcG9ydD01ODcB"
            + "YXV0aD1CZWFyZXIgRVhBTVBMRS1BQ0NFU1MtVE9LRU4BAQ==", "AQ=="], lines);
        Assert.Equal("invalid_token", mechanism.OAuthError!.Status);
    }

    [Fact]
    public async Task Login_PromptsInOrder()
    {
        List<string> lines = await RunAsync(new LoginMechanism("tim", "secret"), ImapContext, inline: true,
            Convert.ToBase64String("Username:"u8), Convert.ToBase64String("Password:"u8));

        Assert.Equal(["AUTH LOGIN", "dGlt", "c2VjcmV0"], lines);
    }

    [Fact]
    public async Task ScramSha256_FullExchange()
    {
        var mechanism = new ScramSha256Mechanism("user", "pencil", "rOprNGfwEbeRWgbNEkqO");

        List<string> lines = await RunAsync(mechanism, ImapContext, inline: true,
            Convert.ToBase64String(Encoding.ASCII.GetBytes(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")),
            Convert.ToBase64String("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8));

        Assert.Equal(3, lines.Count);
        Assert.Equal("", lines[2]);
        Assert.True(mechanism.IsServerVerified);
        mechanism.ValidateSuccess([]);
    }
}
