namespace RawMail.Sasl;

/// <summary>
/// The obsolete LOGIN mechanism (draft-murchison-sasl-login): the server prompts for the user name
/// and then the password, and the client responds to each prompt with the bare value.
/// </summary>
/// <remarks>
/// Servers word the prompts differently ("Username:", "User Name", localised text, or none), so
/// the answers follow the order of the challenges and ignore their text.
/// </remarks>
public sealed class LoginMechanism : SaslMechanism
{
    private readonly string _password;
    private int _challengeCount;

    public LoginMechanism(string userName, string password)
    {
        SaslText.ThrowIfInvalidName(userName, nameof(userName));
        SaslText.ThrowIfInvalidPassword(password, nameof(password));
        UserName = userName;
        _password = password;
    }

    public override string Name => "LOGIN";

    public override bool SupportsInitialResponse => false;

    public string UserName { get; }

    protected override ValueTask<SaslResponse?> CreateInitialResponseCoreAsync(SaslContext context,
        CancellationToken cancellationToken) => ValueTask.FromResult<SaslResponse?>(null);

    protected override SaslResponse EvaluateChallengeCore(ReadOnlySpan<byte> challenge)
    {
        _challengeCount++;
        switch (_challengeCount)
        {
            case 1:
                return Encode(UserName);
            case 2:
                IsComplete = true;
                return Encode(_password);
            default:
                throw UnexpectedChallenge();
        }
    }

    private static SaslResponse Encode(string value)
    {
        var writer = new SaslResponseWriter(SaslText.StrictUtf8.GetByteCount(value));
        writer.Write(value);
        return writer.ToResponse();
    }
}
