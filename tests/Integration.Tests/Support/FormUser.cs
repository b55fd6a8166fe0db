using System.Net;
using System.Text.RegularExpressions;
using RawMail.OAuth2;
using RawMail.TestSupport;

namespace RawMail.Integration.Tests;

/// <summary>
/// A person at the authorization server's HTML pages, played by an HttpClient with a cookie jar
/// that follows redirects: it signs in with the login form, cancels a sign-in, and approves or
/// denies a device.
/// </summary>
internal sealed partial class FormUser : IDisposable
{
    private readonly HttpClient _http;

    public FormUser()
    {
        var handler = new HttpClientHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = true,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Opens the authorization URL, submits the login form, and returns the URI the redirect chain
    /// ended at: the client's redirect URI with the code. A second sign-in reuses the session.
    /// </summary>
    public async Task<Uri> SignInAsync(Uri authorizationUri, TestUser user, CancellationToken cancellationToken)
    {
        (Uri page, string html) = await GetAsync(authorizationUri, cancellationToken);
        if (page.Authority != authorizationUri.Authority)
        {
            // The session cookie of an earlier sign-in made the server skip the login form.
            return page;
        }

        return await SubmitLoginAsync(page, html, user, cancellationToken);
    }

    /// <summary>Opens the authorization URL and follows the sign-in page's Cancel link.</summary>
    public async Task<Uri> CancelAsync(Uri authorizationUri, CancellationToken cancellationToken)
    {
        (Uri page, string html) = await GetAsync(authorizationUri, cancellationToken);
        Match abort = AbortLinkPattern().Match(html);
        Assert.True(abort.Success, $"the sign-in page {page} has no Cancel link");
        (Uri end, _) = await GetAsync(new Uri(page, WebUtility.HtmlDecode(abort.Groups[1].Value)), cancellationToken);
        return end;
    }

    /// <summary>Enters the user code, allows the device and signs in; returns the final page's URI.</summary>
    public async Task<Uri> ApproveDeviceAsync(
        DeviceAuthorization device, TestUser user, CancellationToken cancellationToken)
    {
        (Uri page, string html) = await ConfirmPageAsync(device, cancellationToken);
        (page, html) = await PostFormAsync(page, html, "op.deviceConfirmForm", [], cancellationToken);
        return await SubmitLoginAsync(page, html, user, cancellationToken);
    }

    /// <summary>Enters the user code and presses Deny on the confirmation page.</summary>
    public async Task DenyDeviceAsync(DeviceAuthorization device, CancellationToken cancellationToken)
    {
        (Uri page, string html) = await ConfirmPageAsync(device, cancellationToken);
        await PostFormAsync(page, html, "op.deviceConfirmForm", [new("abort", "yes")], cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<(Uri Page, string Html)> ConfirmPageAsync(
        DeviceAuthorization device, CancellationToken cancellationToken)
    {
        (Uri page, string html) = await GetAsync(device.VerificationUri, cancellationToken);
        return await PostFormAsync(
            page, html, "op.deviceInputForm", [new("user_code", device.UserCode)], cancellationToken);
    }

    private async Task<Uri> SubmitLoginAsync(Uri page, string html, TestUser user, CancellationToken cancellationToken)
    {
        Match form = LoginFormPattern().Match(html);
        Assert.True(form.Success, $"the page {page} has no login form");
        var action = new Uri(page, WebUtility.HtmlDecode(form.Groups[1].Value));
        using var content = new FormUrlEncodedContent([new("login", user.Email), new("password", user.Password)]);
        using HttpResponseMessage response = await _http.PostAsync(action, content, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"signing in at {action} ended with HTTP {(int)response.StatusCode}");
        return response.RequestMessage!.RequestUri!;
    }

    // Posts the form with the given id: its hidden inputs plus the extra fields.
    private async Task<(Uri Page, string Html)> PostFormAsync(
        Uri page, string html, string formId, List<KeyValuePair<string, string>> extra,
        CancellationToken cancellationToken)
    {
        Match form = Regex.Match(
            html, "<form id=\"" + Regex.Escape(formId) + "\"[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>",
            RegexOptions.Singleline);
        Assert.True(form.Success, $"the page {page} has no form {formId}");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match hidden in HiddenInputPattern().Matches(form.Groups[2].Value))
        {
            fields.Add(new(hidden.Groups[1].Value, WebUtility.HtmlDecode(hidden.Groups[2].Value)));
        }

        foreach (KeyValuePair<string, string> field in extra)
        {
            fields.RemoveAll(existing => existing.Key == field.Key);
            fields.Add(field);
        }

        var action = new Uri(page, WebUtility.HtmlDecode(form.Groups[1].Value));
        using var content = new FormUrlEncodedContent(fields);
        using HttpResponseMessage response = await _http.PostAsync(action, content, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"posting {formId} to {action} gave HTTP {(int)response.StatusCode}");
        return (response.RequestMessage!.RequestUri!, body);
    }

    private async Task<(Uri Page, string Html)> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(uri, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.RequestMessage!.RequestUri!, body);
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+/login)\"")]
    private static partial Regex LoginFormPattern();

    [GeneratedRegex("<a href=\"([^\"]+/abort)\"")]
    private static partial Regex AbortLinkPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInputPattern();
}
