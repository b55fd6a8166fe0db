using System.Security.Cryptography;

namespace RawMail.Sasl;

/// <summary>The SCRAM-SHA-256 mechanism (RFC 7677).</summary>
public sealed class ScramSha256Mechanism : ScramMechanism
{
    public ScramSha256Mechanism(string userName, string password)
        : base(userName, password, clientNonce: null)
    {
    }

    // Fixes the client nonce, for tests against published examples only.
    internal ScramSha256Mechanism(string userName, string password, string clientNonce)
        : base(userName, password, clientNonce)
    {
    }

    public override string Name => "SCRAM-SHA-256";

    private protected override HashAlgorithmName HashAlgorithm => HashAlgorithmName.SHA256;

    private protected override int HashLength => SHA256.HashSizeInBytes;
}
