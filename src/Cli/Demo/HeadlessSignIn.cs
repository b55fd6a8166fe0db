using System.Net;
using System.Text.RegularExpressions;

namespace RawMail.Cli.Demo;

/// <summary>
/// Plays the browser's part in the local authorization server's sign-in: it follows the
/// authorization URL with a cookie jar, posts the login form (fields login and password) and
/// follows the redirects until the loopback listener has received the code.
/// </summary>
/// <remarks>
/// This fits only the first-party form of servers/authz (one form, consent granted at once); a real
/// provider's sign-in needs a person.
/// </remarks>
internal static partial class HeadlessSignIn
{
    public static async Task CompleteAsync(
        Uri authorizationUri, string login, string password, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 20,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        using HttpResponseMessage formPage = await http.GetAsync(authorizationUri, cancellationToken)
            .ConfigureAwait(false);
        string html = await formPage.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Uri pageUri = formPage.RequestMessage?.RequestUri ?? authorizationUri;
        Match action = FormAction().Match(html);
        if (!formPage.IsSuccessStatusCode || !action.Success)
        {
            throw new CliException(
                ExitCodes.OAuth,
                "The authorization server did not show its sign-in form " +
                $"(HTTP {(int)formPage.StatusCode} at {pageUri.AbsolutePath}).");
        }

        var loginUri = new Uri(pageUri, WebUtility.HtmlDecode(action.Groups[1].Value));
        using var form = new FormUrlEncodedContent([new("login", login), new("password", password)]);
        using HttpResponseMessage redirect = await http.PostAsync(loginUri, form, cancellationToken)
            .ConfigureAwait(false);
        Uri finalUri = redirect.RequestMessage?.RequestUri ?? loginUri;

        // A successful chain ends at the loopback listener, which returns 200 with its own page. A final URL on the
        // authorization server's port means the login form came back, so the sign-in failed.
        if (!redirect.IsSuccessStatusCode || finalUri.Port == pageUri.Port)
        {
            throw new CliException(
                ExitCodes.OAuth,
                $"Signing in as {login} failed: HTTP {(int)redirect.StatusCode} at {finalUri.GetLeftPart(UriPartial.Path)}.");
        }
    }

    [GeneratedRegex("<form[^>]*\\baction=\"([^\"]+)\"", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FormAction();
}
