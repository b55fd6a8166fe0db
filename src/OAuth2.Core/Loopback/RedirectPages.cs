namespace RawMail.OAuth2;

/// <summary>The HTML pages the redirect listener sends to the browser.</summary>
public sealed class RedirectPages
{
    public static RedirectPages Default { get; } = new();

    public string SuccessHtml { get; init; } =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Signed in</title></head>" +
        "<body><p>Sign-in complete. You can close this window.</p></body></html>";

    /// <summary>Page for an error redirect; it shows no server text, so nothing from the URL is echoed.</summary>
    public string ErrorHtml { get; init; } =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sign-in failed</title></head>" +
        "<body><p>Sign-in failed. Return to the application for details.</p></body></html>";

    internal static RedirectPages From(OAuth2ProviderOptions options) => new()
    {
        SuccessHtml = options.SuccessPageHtml ?? Default.SuccessHtml,
        ErrorHtml = options.ErrorPageHtml ?? Default.ErrorHtml,
    };
}
