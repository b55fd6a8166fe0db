using System.Security.Cryptography;
using System.Text;

namespace RawMail.Sasl;

/// <summary>
/// The SCRAM family (RFC 5802) without channel binding: the client proves that it has the password
/// without sending it, and the server proves that it has the salted password.
/// </summary>
/// <remarks>
/// The exchange is client-first, server-first, client-final, server-final. The server-final
/// message arrives either as a last challenge, which gets an empty response, or as additional
/// data with success, passed to <see cref="ValidateSuccess"/>. A success without a verified
/// server signature is a failure.
/// </remarks>
public abstract class ScramMechanism : SaslMechanism
{
    /// <summary>The lowest iteration count that RFC 5802 and RFC 7677 recommend for servers.</summary>
    public const int DefaultMinIterationCount = 4096;

    /// <summary>
    /// The highest iteration count accepted by default. A hostile server can send a huge count to
    /// keep the client busy hashing (RFC 5802 section 9).
    /// </summary>
    public const int DefaultMaxIterationCount = 1_000_000;

    // gs2-header "n,," (no channel binding, no authzid), which is "biws" in base64.
    private const string Gs2Header = "n,,";
    private const int NonceByteCount = 24;

    private readonly string _password;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private State _state;

    private protected ScramMechanism(string userName, string password, string? clientNonce)
    {
        SaslText.ThrowIfInvalidName(userName, nameof(userName));
        SaslText.ThrowIfInvalidPassword(password, nameof(password));
        UserName = userName;
        _password = SaslPrep.Prepare(password, nameof(password));
        PreparedUserName = SaslPrep.Prepare(userName, nameof(userName));
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(NonceByteCount));
    }

    private enum State
    {
        Initial,
        ClientFirstSent,
        ClientFinalSent,
        ServerVerified,
        Failed,
    }

    public override bool SupportsInitialResponse => true;

    public string UserName { get; }

    /// <summary>Whether the server signature matched, which proves that the server has the salted password.</summary>
    public bool IsServerVerified => _state == State.ServerVerified;

    /// <summary>The lowest iteration count the client accepts from the server.</summary>
    public int MinIterationCount { get; init; } = DefaultMinIterationCount;

    /// <summary>The highest iteration count the client accepts from the server.</summary>
    public int MaxIterationCount { get; init; } = DefaultMaxIterationCount;

    private string PreparedUserName { get; }

    private protected abstract HashAlgorithmName HashAlgorithm { get; }

    private protected abstract int HashLength { get; }

    protected override ValueTask<SaslResponse?> CreateInitialResponseCoreAsync(SaslContext context,
        CancellationToken cancellationToken)
    {
        _clientFirstBare = "n=" + SaslName.Escape(PreparedUserName) + ",r=" + _clientNonce;
        string clientFirst = Gs2Header + _clientFirstBare;
        _state = State.ClientFirstSent;
        return ValueTask.FromResult<SaslResponse?>(SaslResponse.Create(Encoding.UTF8.GetBytes(clientFirst)));
    }

    protected override SaslResponse EvaluateChallengeCore(ReadOnlySpan<byte> challenge)
    {
        switch (_state)
        {
            case State.ClientFirstSent:
                try
                {
                    return CreateClientFinal(challenge);
                }
                catch (SaslException)
                {
                    _state = State.Failed;
                    throw;
                }

            case State.ClientFinalSent:
                VerifyServerFinal(challenge);
                return SaslResponse.CreateEmpty();
            default:
                throw UnexpectedChallenge();
        }
    }

    public override void ValidateSuccess(ReadOnlySpan<byte> additionalData)
    {
        if (_state == State.ClientFinalSent && !additionalData.IsEmpty)
        {
            VerifyServerFinal(additionalData);
        }

        if (_state != State.ServerVerified)
        {
            throw new SaslException(SaslErrorReason.ServerSignatureMissing,
                $"The server reported {Name} success without the server signature that proves it has the password.");
        }
    }

    private SaslResponse CreateClientFinal(ReadOnlySpan<byte> serverFirst)
    {
        ScramServerFirstMessage message = ScramServerFirstMessage.Parse(serverFirst, _clientNonce,
            MinIterationCount, MaxIterationCount);

        // The AuthMessage contains the server-first message exactly as received (RFC 5802 section 3).
        string clientFinalWithoutProof = "c=" + Convert.ToBase64String(Encoding.ASCII.GetBytes(Gs2Header))
            + ",r=" + message.Nonce;
        byte[] authMessage = BuildAuthMessage(serverFirst, clientFinalWithoutProof);

        Span<byte> clientProof = stackalloc byte[HashLength];
        _expectedServerSignature = new byte[HashLength];
        ComputeProofs(message, authMessage, clientProof, _expectedServerSignature);

        string clientFinal = clientFinalWithoutProof + ",p=" + Convert.ToBase64String(clientProof);
        CryptographicOperations.ZeroMemory(clientProof);
        _state = State.ClientFinalSent;
        IsComplete = true;
        return SaslResponse.Create(Encoding.ASCII.GetBytes(clientFinal));
    }

    private byte[] BuildAuthMessage(ReadOnlySpan<byte> serverFirst, string clientFinalWithoutProof)
    {
        // AuthMessage = client-first-message-bare "," server-first-message "," client-final-message-without-proof
        byte[] clientFirstBare = Encoding.UTF8.GetBytes(_clientFirstBare!);
        byte[] clientFinal = Encoding.ASCII.GetBytes(clientFinalWithoutProof);
        byte[] authMessage = new byte[clientFirstBare.Length + 1 + serverFirst.Length + 1 + clientFinal.Length];

        var span = authMessage.AsSpan();
        clientFirstBare.CopyTo(span);
        span[clientFirstBare.Length] = (byte)',';
        serverFirst.CopyTo(span[(clientFirstBare.Length + 1)..]);
        span[clientFirstBare.Length + 1 + serverFirst.Length] = (byte)',';
        clientFinal.CopyTo(span[(clientFirstBare.Length + serverFirst.Length + 2)..]);
        return authMessage;
    }

    // RFC 5802 section 3:
    //   SaltedPassword  = Hi(Normalize(password), salt, i)
    //   ClientKey       = HMAC(SaltedPassword, "Client Key")
    //   StoredKey       = H(ClientKey)
    //   ClientSignature = HMAC(StoredKey, AuthMessage)
    //   ClientProof     = ClientKey XOR ClientSignature
    //   ServerKey       = HMAC(SaltedPassword, "Server Key")
    //   ServerSignature = HMAC(ServerKey, AuthMessage)
    private void ComputeProofs(ScramServerFirstMessage message, ReadOnlySpan<byte> authMessage,
        Span<byte> clientProof, Span<byte> serverSignature)
    {
        int length = HashLength;
        Span<byte> secrets = stackalloc byte[length * 5];
        Span<byte> saltedPassword = secrets[..length];
        Span<byte> clientKey = secrets.Slice(length, length);
        Span<byte> storedKey = secrets.Slice(length * 2, length);
        Span<byte> clientSignature = secrets.Slice(length * 3, length);
        Span<byte> serverKey = secrets.Slice(length * 4, length);

        byte[] password = Encoding.UTF8.GetBytes(_password);
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, message.Salt, saltedPassword, message.IterationCount, HashAlgorithm);
            CryptographicOperations.HmacData(HashAlgorithm, saltedPassword, "Client Key"u8, clientKey);
            CryptographicOperations.HashData(HashAlgorithm, clientKey, storedKey);
            CryptographicOperations.HmacData(HashAlgorithm, storedKey, authMessage, clientSignature);
            for (int i = 0; i < length; i++)
            {
                clientProof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
            }

            CryptographicOperations.HmacData(HashAlgorithm, saltedPassword, "Server Key"u8, serverKey);
            CryptographicOperations.HmacData(HashAlgorithm, serverKey, authMessage, serverSignature);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(secrets);
        }
    }

    // server-final-message = (server-error / verifier) ["," extensions] (RFC 5802 section 7).
    private void VerifyServerFinal(ReadOnlySpan<byte> serverFinal)
    {
        try
        {
            CheckServerSignature(serverFinal);
            _state = State.ServerVerified;
        }
        catch (SaslException)
        {
            // A failed exchange cannot be resumed, so a later challenge or success is rejected.
            _state = State.Failed;
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(_expectedServerSignature);
        }
    }

    private void CheckServerSignature(ReadOnlySpan<byte> serverFinal)
    {
        if (serverFinal.Length > ScramServerFirstMessage.MaxLength)
        {
            throw new SaslException(SaslErrorReason.InvalidServerMessage,
                $"The SCRAM server-final message is {serverFinal.Length} bytes, more than the limit of "
                + $"{ScramServerFirstMessage.MaxLength}.");
        }

        int end = serverFinal.IndexOf((byte)',');
        ReadOnlySpan<byte> attribute = end < 0 ? serverFinal : serverFinal[..end];

        if (attribute.StartsWith("e="u8))
        {
            HasServerError = true;
            string error = SaslDiagnostics.ToPrintable(attribute[2..]);
            throw new SaslException(SaslErrorReason.ServerError,
                $"The server rejected {Name} authentication: {error}.");
        }

        if (!attribute.StartsWith("v="u8))
        {
            throw new SaslException(SaslErrorReason.InvalidServerMessage,
                "The SCRAM server-final message has neither a verifier (v=) nor an error (e=).");
        }

        Span<byte> signature = stackalloc byte[HashLength];
        if (!Convert.TryFromBase64Chars(Encoding.ASCII.GetString(attribute[2..]), signature, out int written)
            || written != HashLength
            || !CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new SaslException(SaslErrorReason.ServerSignatureMismatch,
                "The SCRAM server signature does not match, so the server did not prove that it has the password.");
        }
    }
}
