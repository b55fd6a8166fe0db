using System.Globalization;

namespace RawMail.Sasl;

/// <summary>
/// The OAUTHBEARER mechanism (RFC 7628): a GS2 header with the user name as authorization
/// identity, then host, port and the bearer token as ^A-separated key-value pairs.
/// </summary>
/// <remarks>
/// On failure the server sends a JSON error as a challenge, and the client responds with the
/// single byte ^A (RFC 7628 section 3.2.3) before the server sends the final failure.
/// </remarks>
public sealed class OAuthBearerMechanism : SaslOAuthMechanism
{
    private const byte Separator = 0x01;

    public OAuthBearerMechanism(string userName, IAccessTokenProvider tokenProvider)
        : base(userName, tokenProvider)
    {
    }

    public override string Name => "OAUTHBEARER";

    protected override SaslResponse BuildTokenMessage(SaslContext context, string accessToken)
    {
        // gs2-header = "n," ["a=" saslname] "," (RFC 5801 section 4), then kvpairs each ending in
        // ^A and one final ^A (RFC 7628 section 3.1).
        string authorizationId = SaslName.Escape(UserName);
        string port = context.Port.ToString(CultureInfo.InvariantCulture);
        int capacity = "n,a=,".Length + SaslText.StrictUtf8.GetByteCount(authorizationId) + 1
            + "host=".Length + context.Host.Length + 1
            + "port=".Length + port.Length + 1
            + "auth=Bearer ".Length + accessToken.Length + 2;

        var writer = new SaslResponseWriter(capacity);
        writer.Write("n,"u8);
        if (authorizationId.Length > 0)
        {
            writer.Write("a="u8);
            writer.Write(authorizationId);
        }

        writer.Write((byte)',');
        writer.Write(Separator);
        writer.Write("host="u8);
        writer.Write(context.Host);
        writer.Write(Separator);
        writer.Write("port="u8);
        writer.Write(port);
        writer.Write(Separator);
        writer.Write("auth=Bearer "u8);
        writer.Write(accessToken);
        writer.Write(Separator);
        writer.Write(Separator);
        return writer.ToResponse();
    }

    protected override SaslResponse CreateErrorChallengeResponse() => SaslResponse.Create([Separator]);
}
