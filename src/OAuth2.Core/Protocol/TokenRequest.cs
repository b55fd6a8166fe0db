using System.Net.Http.Headers;
using System.Text;

namespace RawMail.OAuth2;

/// <summary>A form POST to a token or device authorization endpoint, built before it is sent.</summary>
internal sealed class TokenRequest
{
    public TokenRequest(Uri endpoint, string grantType)
    {
        Endpoint = endpoint;
        GrantType = grantType;
    }

    public Uri Endpoint { get; }

    /// <summary>The grant type, or the endpoint's purpose for requests without one; safe to log.</summary>
    public string GrantType { get; }

    public List<KeyValuePair<string, string>> Fields { get; } = [];

    /// <summary>The base64 credentials of an <c>Authorization: Basic</c> header, or null.</summary>
    public string? BasicCredentials { get; set; }

    public string Body => FormUrlEncoding.Encode(Fields);

    public void Add(string name, string value) => Fields.Add(new(name, value));

    public HttpRequestMessage ToHttpRequestMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        // Without this header some servers (GitHub's classic endpoint) send a form-encoded response.
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (BasicCredentials is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials);
        }

        return message;
    }
}
