namespace RawMail.Sasl;

/// <summary>
/// Picks the mechanism to use from the list a server advertises (IMAP AUTH= capabilities, the
/// SMTP AUTH keyword, POP3 SASL) and the credentials at hand.
/// </summary>
public sealed class SaslMechanismSelector
{
    private readonly string[] _order;

    /// <param name="order">
    /// Mechanism names from most to least preferred, or null for <see cref="DefaultOrder"/>.
    /// Leaving a name out disables that mechanism.
    /// </param>
    /// <exception cref="ArgumentException">The order names a mechanism this library does not implement.</exception>
    public SaslMechanismSelector(IEnumerable<string>? order = null)
    {
        if (order is null)
        {
            _order = [.. DefaultOrder];
            return;
        }

        var names = new List<string>();
        foreach (string name in order)
        {
            if (!IsSupported(name))
            {
                throw new ArgumentException($"The mechanism '{name}' is not implemented. Supported mechanisms: "
                    + string.Join(", ", DefaultOrder) + ".", nameof(order));
            }

            if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name.ToUpperInvariant());
            }
        }

        _order = [.. names];
    }

    /// <summary>
    /// The default preference: token mechanisms first, XOAUTH2 before OAUTHBEARER because Gmail
    /// and Microsoft 365 both accept XOAUTH2, then password mechanisms from the strongest (SCRAM)
    /// to the weakest (LOGIN).
    /// </summary>
    public static IReadOnlyList<string> DefaultOrder { get; } =
        ["XOAUTH2", "OAUTHBEARER", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];

    /// <summary>The preference this selector uses, from most to least preferred.</summary>
    public IReadOnlyList<string> Order => _order;

    /// <summary>
    /// Returns the name of the first mechanism in the preference order that the server advertises
    /// (compared case-insensitively) and the credentials can serve, or null when there is none.
    /// </summary>
    public string? SelectName(IEnumerable<string> advertised, SaslCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(advertised);
        ArgumentNullException.ThrowIfNull(credentials);

        var offered = new HashSet<string>(advertised, StringComparer.OrdinalIgnoreCase);
        foreach (string name in _order)
        {
            if (offered.Contains(name) && CanServe(name, credentials))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Creates the mechanism <see cref="SelectName"/> picks, or returns null when there is none.</summary>
    public SaslMechanism? Select(IEnumerable<string> advertised, SaslCredentials credentials)
    {
        string? name = SelectName(advertised, credentials);
        return name is null ? null : Create(name, credentials);
    }

    /// <summary>Creates the mechanism <see cref="SelectName"/> picks.</summary>
    /// <exception cref="SaslException">
    /// No advertised mechanism fits (<see cref="SaslErrorReason.NoSupportedMechanism"/>).
    /// </exception>
    public SaslMechanism SelectRequired(IEnumerable<string> advertised, SaslCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(advertised);
        string[] offered = [.. advertised];
        return Select(offered, credentials) ?? throw new SaslException(SaslErrorReason.NoSupportedMechanism,
            $"The server advertises [{string.Join(" ", offered)}], but the credentials ({Describe(credentials)}) "
            + $"can use only [{string.Join(" ", Array.FindAll(_order, n => CanServe(n, credentials)))}]. "
            + "Configure credentials or a mechanism order that the server accepts.");
    }

    /// <summary>Creates the named mechanism for the credentials.</summary>
    /// <exception cref="ArgumentException">
    /// The mechanism is not implemented or needs a credential that is missing.
    /// </exception>
    public static SaslMechanism Create(string name, SaslCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!CanServe(name, credentials))
        {
            throw new ArgumentException(IsSupported(name)
                ? $"The mechanism {name} needs a credential that is missing ({Describe(credentials)})."
                : $"The mechanism '{name}' is not implemented.", nameof(name));
        }

        string user = credentials.UserName;
        return name.ToUpperInvariant() switch
        {
            "XOAUTH2" => new XOAuth2Mechanism(user, credentials.TokenProvider!),
            "OAUTHBEARER" => new OAuthBearerMechanism(user, credentials.TokenProvider!),
            "SCRAM-SHA-256" => new ScramSha256Mechanism(user, credentials.Password!),
            "SCRAM-SHA-1" => new ScramSha1Mechanism(user, credentials.Password!),
            "PLAIN" => new PlainMechanism(user, credentials.Password!, credentials.AuthorizationId),
            _ => new LoginMechanism(user, credentials.Password!),
        };
    }

    private static bool IsSupported(string name) => DefaultOrder.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static bool CanServe(string name, SaslCredentials credentials)
    {
        if (!IsSupported(name))
        {
            return false;
        }

        bool isTokenMechanism = name.Equals("XOAUTH2", StringComparison.OrdinalIgnoreCase)
            || name.Equals("OAUTHBEARER", StringComparison.OrdinalIgnoreCase);
        return isTokenMechanism ? credentials.TokenProvider is not null : credentials.Password is not null;
    }

    private static string Describe(SaslCredentials credentials) =>
        (credentials.Password, credentials.TokenProvider) switch
        {
            (not null, not null) => "password and access token",
            (not null, null) => "password",
            _ => "access token",
        };
}
