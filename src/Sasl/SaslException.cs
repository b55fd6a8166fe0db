namespace RawMail.Sasl;

/// <summary>The kind of fault a SASL mechanism found on the client side.</summary>
public enum SaslErrorReason
{
    /// <summary>A server challenge does not follow the mechanism's syntax.</summary>
    InvalidServerMessage,

    /// <summary>A challenge arrived when the mechanism expected the exchange to be over.</summary>
    UnexpectedChallenge,

    /// <summary>The SCRAM server nonce does not start with the client nonce (RFC 5802 section 5.1).</summary>
    NonceMismatch,

    /// <summary>The SCRAM iteration count is outside the configured bounds.</summary>
    IterationCountOutOfRange,

    /// <summary>The server requires a SCRAM extension this client does not implement (the m= attribute).</summary>
    UnsupportedExtension,

    /// <summary>The SCRAM server signature does not match, so the server did not prove it has the password.</summary>
    ServerSignatureMismatch,

    /// <summary>The server reported success without sending the SCRAM server signature.</summary>
    ServerSignatureMissing,

    /// <summary>The SCRAM server-final message carries an error (the e= attribute).</summary>
    ServerError,

    /// <summary>The access token from the token provider is empty or contains characters a token cannot have.</summary>
    InvalidAccessToken,

    /// <summary>The server advertises no mechanism that the available credentials can use.</summary>
    NoSupportedMechanism,
}

/// <summary>
/// A SASL exchange that failed on the client side. The message never contains a password, a
/// token or a derived key.
/// </summary>
public sealed class SaslException : Exception
{
    public SaslException(SaslErrorReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public SaslErrorReason Reason { get; }
}
