using System.Security.Cryptography;

namespace RawMail.Sasl;

/// <summary>The SCRAM-SHA-1 mechanism (RFC 5802).</summary>
public sealed class ScramSha1Mechanism : ScramMechanism
{
    public ScramSha1Mechanism(string userName, string password)
        : base(userName, password, clientNonce: null)
    {
    }

    // Fixes the client nonce, for tests against published examples only.
    internal ScramSha1Mechanism(string userName, string password, string clientNonce)
        : base(userName, password, clientNonce)
    {
    }

    public override string Name => "SCRAM-SHA-1";

    private protected override HashAlgorithmName HashAlgorithm => HashAlgorithmName.SHA1;

    private protected override int HashLength => SHA1.HashSizeInBytes;
}
