using System.Net;
using System.Text;

namespace RawMail.OAuth2.Tests;

/// <summary>A captured request: method, URI, Authorization and Accept headers, and the body as text.</summary>
public sealed record CapturedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Accept, string Body);

/// <summary>An in-process HttpMessageHandler that returns scripted responses and records every request.</summary>
public sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<CapturedRequest, HttpResponseMessage>> _responses = new();

    public List<CapturedRequest> Requests { get; } = [];

    public ScriptedHttpHandler Respond(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        _responses.Enqueue(_ => Response(status, body, mediaType));
        return this;
    }

    public ScriptedHttpHandler Respond(Func<CapturedRequest, HttpResponseMessage> respond)
    {
        _responses.Enqueue(respond);
        return this;
    }

    public static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var captured = new CapturedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            request.Headers.Accept.ToString(),
            body);
        Requests.Add(captured);
        if (_responses.Count == 0)
        {
            throw new InvalidOperationException($"The script has no response left for {request.Method} {request.RequestUri}.");
        }

        return _responses.Dequeue()(captured);
    }
}
