using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RawMail.Integration.Tests;

/// <summary>
/// Sits between the OAuth 2.0 client and the network, and keeps every secret that passes: the
/// code, verifier, client secret, assertion, refresh token and device code it sends, and the
/// tokens it receives. A test may also rewrite token responses on their way back.
/// </summary>
internal sealed class SecretRecorder : DelegatingHandler
{
    private static readonly string[] s_secretFormFields =
        ["code", "code_verifier", "client_secret", "client_assertion", "refresh_token", "device_code"];

    private static readonly string[] s_secretResponseFields = ["access_token", "refresh_token", "id_token", "device_code"];

    private readonly List<string> _secrets = [];
    private readonly List<RecordedRequest> _requests = [];

    public SecretRecorder()
        : base(new SocketsHttpHandler { UseProxy = false })
    {
    }

    /// <summary>Rewrites the JSON body of each token endpoint response before the client reads it.</summary>
    public Func<string, string>? RewriteTokenResponse { get; set; }

    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_secrets)
            {
                return [.. _secrets];
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_secrets)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Adds a secret seen outside the HTTP exchange, such as the code in the redirect URI.</summary>
    public void Add(string secret)
    {
        lock (_secrets)
        {
            _secrets.Add(secret);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Dictionary<string, string> form = [];
        if (request.Content is not null)
        {
            string body = await request.Content.ReadAsStringAsync(cancellationToken);
            foreach (string pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = pair.Split('=', 2);
                form[Uri.UnescapeDataString(parts[0])] = Uri.UnescapeDataString(parts.Length > 1 ? parts[1] : "");
            }
        }

        AuthenticationHeaderValue? authorization = request.Headers.Authorization;
        lock (_secrets)
        {
            _requests.Add(new RecordedRequest(request.RequestUri!, form, authorization?.Scheme));
            foreach (string name in s_secretFormFields)
            {
                if (form.TryGetValue(name, out string? value))
                {
                    _secrets.Add(value);
                }
            }

            if (authorization?.Parameter is { } credentials)
            {
                string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials));
                _secrets.Add(credentials);
                _secrets.Add(Uri.UnescapeDataString(decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..]));
            }
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        RecordResponseSecrets(text);
        if (RewriteTokenResponse is not null && form.ContainsKey("grant_type") && response.IsSuccessStatusCode)
        {
            string rewritten = RewriteTokenResponse(text);
            var content = new StringContent(rewritten, Encoding.UTF8, "application/json");
            response.Content.Dispose();
            response.Content = content;
        }

        return response;
    }

    private void RecordResponseSecrets(string text)
    {
        if (!text.StartsWith('{'))
        {
            return;
        }

        using JsonDocument document = JsonDocument.Parse(text);
        lock (_secrets)
        {
            foreach (string name in s_secretResponseFields)
            {
                if (document.RootElement.TryGetProperty(name, out JsonElement value)
                    && value.ValueKind == JsonValueKind.String)
                {
                    _secrets.Add(value.GetString()!);
                }
            }
        }
    }
}

/// <summary>One request the OAuth 2.0 client sent: where, its form fields and its Authorization scheme.</summary>
internal sealed record RecordedRequest(Uri Uri, IReadOnlyDictionary<string, string> Form, string? AuthorizationScheme);
