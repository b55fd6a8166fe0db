namespace RawMail.OAuth2;

/// <summary>Checks on Microsoft identity platform scopes made before any request is sent.</summary>
internal static class MicrosoftScopes
{
    private const string GraphResource = "https://graph.microsoft.com";

    private static readonly HashSet<string> s_openIdScopes = new(StringComparer.OrdinalIgnoreCase)
    {
        "openid", "profile", "email", "offline_access",
    };

    /// <summary>
    /// Rejects scopes of more than one resource. One token has one audience, so the server rejects
    /// such a request with AADSTS70011 ("scopes are not compatible with each other"), or issues a
    /// token for only one of them. Mail needs a token for Exchange Online alone, for example
    /// https://outlook.office.com/IMAP.AccessAsUser.All.
    /// </summary>
    public static void RequireSingleResource(IEnumerable<string> scopes)
    {
        var resources = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string scope in scopes)
        {
            if (!s_openIdScopes.Contains(scope))
            {
                resources.Add(ResourceOf(scope));
            }
        }

        if (resources.Count > 1)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                $"The scopes name more than one resource ({string.Join(", ", resources)}), but one Microsoft token " +
                "serves one resource. Request mail scopes such as https://outlook.office.com/IMAP.AccessAsUser.All " +
                "in a token of their own.");
        }
    }

    /// <summary>
    /// Returns the resource a scope belongs to: the part before the last '/' of a URI scope, and
    /// Microsoft Graph for a bare name such as Mail.Read, as the identity platform resolves it.
    /// </summary>
    internal static string ResourceOf(string scope)
    {
        int separator = scope.LastIndexOf('/');
        if (!scope.Contains("://", StringComparison.Ordinal) || separator < 0)
        {
            return GraphResource;
        }

        string resource = scope[..separator];
        // Both host names identify Exchange Online.
        return resource.Equals("https://outlook.office365.com", StringComparison.OrdinalIgnoreCase)
            ? "https://outlook.office.com"
            : resource;
    }
}
