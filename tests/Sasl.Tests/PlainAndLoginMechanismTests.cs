using System.Text;
using static RawMail.Sasl.Tests.SaslTestHelpers;

namespace RawMail.Sasl.Tests;

public sealed class PlainAndLoginMechanismTests
{
    [Fact]
    public void Plain_Rfc4616Example()
    {
        using SaslResponse response = CreateInitial(new PlainMechanism("tim", "tanstaaftanstaaf"));

        Assert.Equal("\0tim\0tanstaaftanstaaf", Text(response));
    }

    [Fact]
    public void Plain_WithAuthorizationId()
    {
        using SaslResponse response = CreateInitial(new PlainMechanism("Kurt", "xipj3plmq", "Ursel"));

        Assert.Equal("Ursel\0Kurt\0xipj3plmq", Text(response));
    }

    [Fact]
    public void Plain_Utf8Password()
    {
        using SaslResponse response = CreateInitial(new PlainMechanism("user", "pässwörd"));

        Assert.Equal(Encoding.UTF8.GetBytes("\0user\0pässwörd"), response.Span.ToArray());
    }

    [Theory]
    [InlineData("us\0er", "password")]
    [InlineData("user", "pass\0word")]
    [InlineData("us\rer", "password")]
    public void Plain_InvalidInput_Throws(string user, string password)
    {
        Assert.Throws<ArgumentException>(() => new PlainMechanism(user, password));
    }

    [Fact]
    public void Plain_LoneSurrogate_Throws()
    {
        // Built here rather than in InlineData, which would replace the lone surrogate with U+FFFD.
        string password = "pass" + (char)0xD800 + "word";

        Assert.Throws<ArgumentException>(() => new PlainMechanism("user", password));
    }

    [Fact]
    public void Plain_NulInAuthorizationId_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PlainMechanism("user", "password", "a\0b"));
    }

    [Fact]
    public void Plain_Challenge_Throws()
    {
        var mechanism = new PlainMechanism("tim", "tanstaaftanstaaf");
        using SaslResponse initial = CreateInitial(mechanism);

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge([]));

        Assert.Equal(SaslErrorReason.UnexpectedChallenge, exception.Reason);
        Assert.True(mechanism.IsComplete);
    }

    [Fact]
    public async Task Login_NoInitialResponse()
    {
        var mechanism = new LoginMechanism("tim", "secret");

        SaslResponse? initial = await mechanism.CreateInitialResponseAsync(ImapContext, CancellationToken.None);

        Assert.Null(initial);
        Assert.False(mechanism.SupportsInitialResponse);
    }

    [Theory]
    [InlineData("Username:", "Password:")]
    [InlineData("User Name\0", "Password\0")]
    [InlineData("", "")]
    [InlineData("Benutzername:", "Passwort:")]
    public async Task Login_AnswersByOrder(string first, string second)
    {
        var mechanism = new LoginMechanism("tim", "secret");
        await mechanism.CreateInitialResponseAsync(ImapContext, CancellationToken.None);

        using SaslResponse user = mechanism.EvaluateChallenge(Encoding.UTF8.GetBytes(first));
        Assert.False(mechanism.IsComplete);
        using SaslResponse password = mechanism.EvaluateChallenge(Encoding.UTF8.GetBytes(second));

        Assert.Equal("tim", Text(user));
        Assert.Equal("secret", Text(password));
        Assert.True(mechanism.IsComplete);
    }

    [Fact]
    public async Task Login_ThirdChallenge_Throws()
    {
        var mechanism = new LoginMechanism("tim", "secret");
        await mechanism.CreateInitialResponseAsync(ImapContext, CancellationToken.None);
        using SaslResponse user = mechanism.EvaluateChallenge("Username:"u8);
        using SaslResponse password = mechanism.EvaluateChallenge("Password:"u8);

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge("Password:"u8));

        Assert.Equal(SaslErrorReason.UnexpectedChallenge, exception.Reason);
    }

    [Fact]
    public async Task InitialResponse_SecondCall_Throws()
    {
        var mechanism = new PlainMechanism("tim", "secret");
        using SaslResponse first = CreateInitial(mechanism);

        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await mechanism.CreateInitialResponseAsync(ImapContext, CancellationToken.None));
    }

    [Fact]
    public void Response_DisposeZeroesAndBlocksAccess()
    {
        SaslResponse response = CreateInitial(new PlainMechanism("tim", "secret"));

        response.Dispose();

        Assert.Throws<ObjectDisposedException>(() => response.Memory);
        Assert.Equal(11, response.Length);
    }

    [Fact]
    public void Response_EmptyHasNoBytes()
    {
        using SaslResponse response = SaslResponse.CreateEmpty();

        Assert.True(response.IsEmpty);
        Assert.Equal(0, response.Base64Length);
        Assert.Equal("", response.ToBase64());
    }

    [Fact]
    public void Response_CopyBase64ToMatchesToBase64()
    {
        using SaslResponse response = CreateInitial(new PlainMechanism("tim", "tanstaaftanstaaf"));
        byte[] destination = new byte[response.Base64Length];

        int written = response.CopyBase64To(destination);

        Assert.Equal(response.Base64Length, written);
        Assert.Equal("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", Encoding.ASCII.GetString(destination));
    }

    [Fact]
    public void Response_CopyBase64ToShortDestination_Throws()
    {
        using SaslResponse response = CreateInitial(new PlainMechanism("tim", "tanstaaftanstaaf"));

        Assert.Throws<ArgumentException>(() => response.CopyBase64To(new byte[response.Base64Length - 1]));
    }
}
