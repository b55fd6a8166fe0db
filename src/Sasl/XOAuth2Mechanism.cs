namespace RawMail.Sasl;

/// <summary>
/// Google's and Microsoft's XOAUTH2 mechanism: <c>user=</c>name ^A <c>auth=Bearer </c>token ^A ^A.
/// </summary>
/// <remarks>
/// A server that rejects the token (Gmail, for one) sends a challenge with a base64 JSON error
/// instead of failing at once. The client sends an empty response and then reads the final
/// failure. A client that waits for the failure without responding hangs until it times out.
/// </remarks>
public sealed class XOAuth2Mechanism : SaslOAuthMechanism
{
    private const byte Separator = 0x01;

    public XOAuth2Mechanism(string userName, IAccessTokenProvider tokenProvider)
        : base(userName, tokenProvider)
    {
    }

    public override string Name => "XOAUTH2";

    protected override SaslResponse BuildTokenMessage(SaslContext context, string accessToken)
    {
        int capacity = "user=".Length + SaslText.StrictUtf8.GetByteCount(UserName) + 1
            + "auth=Bearer ".Length + accessToken.Length + 2;
        var writer = new SaslResponseWriter(capacity);
        writer.Write("user="u8);
        writer.Write(UserName);
        writer.Write(Separator);
        writer.Write("auth=Bearer "u8);
        writer.Write(accessToken);
        writer.Write(Separator);
        writer.Write(Separator);
        return writer.ToResponse();
    }

    protected override SaslResponse CreateErrorChallengeResponse() => SaslResponse.CreateEmpty();
}
