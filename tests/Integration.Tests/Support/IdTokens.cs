using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RawMail.Integration.Tests;

/// <summary>Rewrites of a token response's id_token, for tests that the client rejects it.</summary>
internal static class IdTokens
{
    /// <summary>
    /// Returns a rewrite that changes the subject in the id token's payload and keeps the signature,
    /// which then no longer matches.
    /// </summary>
    public static Func<string, string> ReplaceSubject(string subject, string replacement) => body =>
        ReplaceIdToken(body, idToken =>
        {
            string[] parts = idToken.Split('.');
            string payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
            Assert.Contains(subject, payload, StringComparison.Ordinal);
            parts[1] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace(subject, replacement, StringComparison.Ordinal)));
            return string.Join('.', parts);
        });

    /// <summary>Returns a rewrite that puts <paramref name="other"/> in place of the id token.</summary>
    public static Func<string, string> Substitute(string other) => body => ReplaceIdToken(body, _ => other);

    private static string ReplaceIdToken(string body, Func<string, string> change)
    {
        JsonObject response = JsonNode.Parse(body)!.AsObject();
        if (response["id_token"] is JsonValue idToken)
        {
            response["id_token"] = change(idToken.GetValue<string>());
        }

        return response.ToJsonString(new JsonSerializerOptions());
    }
}
