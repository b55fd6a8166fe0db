using System.Text;

namespace RawMail.Cli.Tests;

/// <summary>Checks that a secret appears nowhere in a text, neither plain nor as the base64 a SASL exchange sends.</summary>
public static class SecretAssert
{
    public static void NotLeaked(string text, string user, string secret)
    {
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        foreach (string encoded in EncodedForms(user, secret))
        {
            Assert.DoesNotContain(encoded, text, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> EncodedForms(string user, string secret)
    {
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + secret));
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes("user=" + user + "\x01auth=Bearer " + secret + "\x01\x01"));
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "n,a=" + user + ",\x01auth=Bearer " + secret + "\x01\x01"));
    }
}
