using System.Text;

namespace RawMail.Sasl.Tests;

public sealed class SaslOAuthErrorTests
{
    private static SaslOAuthError Parse(string json)
    {
        Assert.True(SaslOAuthError.TryParse(Encoding.UTF8.GetBytes(json), out SaslOAuthError? error));
        return error;
    }

    [Fact]
    public void TryParse_AllFields()
    {
        const string Json = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\","
            + "\"openid-configuration\":\"http://127.0.0.1:19000/.well-known/openid-configuration\"}";

        SaslOAuthError error = Parse(Json);

        Assert.Equal("401", error.Status);
        Assert.Equal("bearer", error.Schemes);
        Assert.Equal("mail", error.Scope);
        Assert.Equal("http://127.0.0.1:19000/.well-known/openid-configuration", error.OpenIdConfiguration);
        Assert.Equal(Json, error.Raw);
    }

    [Fact]
    public void TryParse_NumericStatus()
    {
        Assert.Equal("401", Parse("{\"status\":401}").Status);
    }

    [Fact]
    public void TryParse_UnknownFieldsIgnored()
    {
        SaslOAuthError error = Parse("{\"extra\":{\"a\":[1,2,{}]},\"status\":\"invalid_token\",\"list\":[true,null]}");

        Assert.Equal("invalid_token", error.Status);
        Assert.Null(error.Scope);
    }

    [Fact]
    public void TryParse_EscapedString()
    {
        Assert.Equal("https://mail.google.com/", Parse("{\"scope\":\"https:\\/\\/mail.google.com\\/\"}").Scope);
    }

    [Fact]
    public void TryParse_NonStringScopeIsNull()
    {
        Assert.Null(Parse("{\"scope\":[\"a\"]}").Scope);
    }

    [Fact]
    public void TryParse_EmptyObject()
    {
        SaslOAuthError error = Parse("{}");

        Assert.Null(error.Status);
        Assert.Equal("{}", error.Raw);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"status\"")]
    [InlineData("{\"status\":\"401\"")]
    [InlineData("{\"status\":\"401\"} trailing")]
    [InlineData("{\"status\":}")]
    [InlineData("{\"status\":\"\\ud800\"}")]
    public void TryParse_Invalid_ReturnsFalse(string json)
    {
        Assert.False(SaslOAuthError.TryParse(Encoding.UTF8.GetBytes(json), out SaslOAuthError? error));
        Assert.Null(error);
    }

    [Fact]
    public void TryParse_InvalidUtf8_ReturnsFalse()
    {
        byte[] json = [(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'];

        Assert.False(SaslOAuthError.TryParse(json, out _));
    }

    [Fact]
    public void TryParse_DeepNesting_ReturnsFalse()
    {
        string json = "{\"a\":" + new string('[', 100) + new string(']', 100) + "}";

        Assert.False(SaslOAuthError.TryParse(Encoding.UTF8.GetBytes(json), out _));
    }

    [Fact]
    public void TryParse_Oversized_ReturnsFalse()
    {
        string json = "{\"status\":\"401\",\"x\":\"" + new string('a', 17 * 1024) + "\"}";

        Assert.False(SaslOAuthError.TryParse(Encoding.UTF8.GetBytes(json), out _));
    }
}
