using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RawMail.TestSupport;

public sealed partial class LocalServers
{
    /// <summary>
    /// Requests an access token with the client credentials grant (RFC 6749 section 4.4) for the
    /// client registered under <paramref name="clientKey"/>, with the scope the mail servers require.
    /// The token acts for that client's <see cref="TestClient.Mailbox"/>.
    /// </summary>
    /// <exception cref="HttpRequestException">The token endpoint returned an error.</exception>
    public async Task<string> GetClientCredentialsTokenAsync(string clientKey, CancellationToken cancellationToken)
    {
        TestClient client = Client(clientKey);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("scope", Authorization.Scope),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Authorization.TokenEndpoint);
        AddClientAuthentication(client, request, form);
        request.Content = new FormUrlEncodedContent(form);

        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"client credentials request for '{client.ClientId}' failed with HTTP {(int)response.StatusCode}: {body}");
        }

        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString()
            ?? throw new HttpRequestException($"token response for '{client.ClientId}' has a null access_token");
    }

    /// <summary>
    /// Creates a client assertion for private_key_jwt (RFC 7523 section 3), signed with RS256 by the
    /// client's private key, with the registered kid and x5t#S256 in the header.
    /// </summary>
    public string CreateClientAssertion(TestClient client, TimeSpan lifetime)
    {
        if (client.PrivateKey is null || client.KeyId is null || client.X5tS256 is null)
        {
            throw new ArgumentException($"client '{client.ClientId}' has no private key for client assertions", nameof(client));
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        byte[] header = WriteJson(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            writer.WriteString("kid", client.KeyId);
            writer.WriteString("x5t#S256", client.X5tS256);
        });
        byte[] payload = WriteJson(writer =>
        {
            writer.WriteString("iss", client.ClientId);
            writer.WriteString("sub", client.ClientId);
            writer.WriteString("aud", Authorization.TokenEndpoint.AbsoluteUri);
            writer.WriteString("jti", Guid.NewGuid().ToString("N"));
            writer.WriteNumber("iat", now);
            writer.WriteNumber("exp", now + (long)lifetime.TotalSeconds);
        });

        string signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        using RSA key = RSA.Create();
        key.ImportFromPem(System.IO.File.ReadAllText(client.PrivateKey));
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private void AddClientAuthentication(
        TestClient client, HttpRequestMessage request, List<KeyValuePair<string, string>> form)
    {
        switch (client.AuthMethod)
        {
            case "client_secret_basic":
                // RFC 6749 section 2.3.1: both parts are form-urlencoded before Basic encoding.
                string credentials = Uri.EscapeDataString(client.ClientId) + ":"
                    + Uri.EscapeDataString(client.ClientSecret ?? string.Empty);
                request.Headers.Authorization = new AuthenticationHeaderValue(
                    "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                break;
            case "client_secret_post":
                form.Add(new("client_id", client.ClientId));
                form.Add(new("client_secret", client.ClientSecret ?? string.Empty));
                break;
            case "private_key_jwt":
                form.Add(new("client_id", client.ClientId));
                form.Add(new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
                form.Add(new("client_assertion", CreateClientAssertion(client, TimeSpan.FromMinutes(1))));
                break;
            default:
                throw new ArgumentException(
                    $"client '{client.ClientId}' authenticates with {client.AuthMethod}, which the client credentials grant does not allow",
                    nameof(client));
        }
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
