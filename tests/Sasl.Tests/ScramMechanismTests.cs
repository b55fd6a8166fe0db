using static RawMail.Sasl.Tests.SaslTestHelpers;

namespace RawMail.Sasl.Tests;

public sealed class ScramMechanismTests
{
    // RFC 5802 section 5.
    private const string Sha1ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
    private const string Sha1ServerFinal = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

    // RFC 7677 section 3.
    private const string Sha256ServerFirst =
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string Sha256ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramSha1Mechanism CreateSha1() => new("user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");

    private static ScramSha256Mechanism CreateSha256() => new("user", "pencil", "rOprNGfwEbeRWgbNEkqO");

    [Fact]
    public void Sha1_ClientFirst()
    {
        using SaslResponse response = CreateInitial(CreateSha1());

        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", Text(response));
    }

    [Fact]
    public void Sha1_ClientFinal()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);

        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst));

        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", Text(final));
        Assert.True(mechanism.IsComplete);
        Assert.False(mechanism.IsServerVerified);
    }

    [Fact]
    public void Sha1_ServerFinalVerified()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst));

        using SaslResponse answer = mechanism.EvaluateChallenge(Ascii(Sha1ServerFinal));

        Assert.True(answer.IsEmpty);
        Assert.True(mechanism.IsServerVerified);
        mechanism.ValidateSuccess([]);
    }

    [Fact]
    public void Sha256_ClientFirst()
    {
        using SaslResponse response = CreateInitial(CreateSha256());

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(response));
    }

    [Fact]
    public void Sha256_ClientFinal()
    {
        var mechanism = CreateSha256();
        using SaslResponse first = CreateInitial(mechanism);

        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha256ServerFirst));

        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Text(final));
    }

    [Fact]
    public void Sha256_ServerFinalAsSuccessData()
    {
        var mechanism = CreateSha256();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha256ServerFirst));

        mechanism.ValidateSuccess(Ascii(Sha256ServerFinal));

        Assert.True(mechanism.IsServerVerified);
    }

    [Fact]
    public void WrongServerSignature_Throws()
    {
        var mechanism = CreateSha256();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha256ServerFirst));

        var exception = Assert.Throws<SaslException>(
            () => mechanism.EvaluateChallenge(Ascii("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));

        Assert.Equal(SaslErrorReason.ServerSignatureMismatch, exception.Reason);
        Assert.False(mechanism.IsServerVerified);
    }

    [Fact]
    public void RetryAfterMismatch_Throws()
    {
        var mechanism = CreateSha256();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha256ServerFirst));
        Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii("v=AAAA")));

        var retry = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii(Sha256ServerFinal)));
        var success = Assert.Throws<SaslException>(() => mechanism.ValidateSuccess(Ascii(Sha256ServerFinal)));

        Assert.Equal(SaslErrorReason.UnexpectedChallenge, retry.Reason);
        Assert.Equal(SaslErrorReason.ServerSignatureMissing, success.Reason);
        Assert.False(mechanism.IsServerVerified);
    }

    [Fact]
    public void ShortServerSignature_Throws()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst));

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii("v=rmF9pqV8")));

        Assert.Equal(SaslErrorReason.ServerSignatureMismatch, exception.Reason);
    }

    [Fact]
    public void SuccessWithoutSignature_Throws()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst));

        var exception = Assert.Throws<SaslException>(() => mechanism.ValidateSuccess([]));

        Assert.Equal(SaslErrorReason.ServerSignatureMissing, exception.Reason);
    }

    [Fact]
    public void ServerFinalError_Throws()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst));

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii("e=invalid-proof")));

        Assert.Equal(SaslErrorReason.ServerError, exception.Reason);
        Assert.True(mechanism.HasServerError);
        Assert.Contains("invalid-proof", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChallengeAfterVerification_Throws()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);
        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst));
        using SaslResponse answer = mechanism.EvaluateChallenge(Ascii(Sha1ServerFinal));

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii(Sha1ServerFinal)));

        Assert.Equal(SaslErrorReason.UnexpectedChallenge, exception.Reason);
    }

    [Theory]
    [InlineData("r=XXXX+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096", SaslErrorReason.NonceMismatch)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096", SaslErrorReason.NonceMismatch)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4095", SaslErrorReason.IterationCountOutOfRange)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=1000001",
        SaslErrorReason.IterationCountOutOfRange)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=99999999999",
        SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=04096", SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=", SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=,i=4096", SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=!!!,i=4096", SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXC R+Q6sek8bf92,i=4096", SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf9,i=4096", SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096,s=QSXCR+Q6sek8bf92", SaslErrorReason.InvalidServerMessage)]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92", SaslErrorReason.InvalidServerMessage)]
    [InlineData("m=ext,r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096", SaslErrorReason.UnsupportedExtension)]
    [InlineData("", SaslErrorReason.InvalidServerMessage)]
    [InlineData("e=other-error", SaslErrorReason.InvalidServerMessage)]
    public void InvalidServerFirst_Throws(string serverFirst, SaslErrorReason expected)
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii(serverFirst)));

        Assert.Equal(expected, exception.Reason);
    }

    [Fact]
    public void RetryAfterInvalidServerFirst_Throws()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);
        Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii("garbage")));

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst)));

        Assert.Equal(SaslErrorReason.UnexpectedChallenge, exception.Reason);
    }

    [Fact]
    public void NonceWithControlByte_Throws()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);

        var exception = Assert.Throws<SaslException>(
            () => mechanism.EvaluateChallenge("r=fyko+d2lbbFgONRv9qkxdawL\u0001x,s=QSXCR+Q6sek8bf92,i=4096"u8));

        Assert.Equal(SaslErrorReason.InvalidServerMessage, exception.Reason);
    }

    [Fact]
    public void ExtensionAfterIterationCount_Ignored()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);

        using SaslResponse final = mechanism.EvaluateChallenge(Ascii(Sha1ServerFirst + ",x=ext"));

        Assert.StartsWith("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=", Text(final),
            StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedServerFirst_Throws()
    {
        var mechanism = CreateSha1();
        using SaslResponse first = CreateInitial(mechanism);
        string serverFirst = Sha1ServerFirst + ",x=" + new string('a', 5000);

        var exception = Assert.Throws<SaslException>(() => mechanism.EvaluateChallenge(Ascii(serverFirst)));

        Assert.Equal(SaslErrorReason.InvalidServerMessage, exception.Reason);
    }

    [Fact]
    public void LowerIterationBound_Configurable()
    {
        var mechanism = new ScramSha1Mechanism("user", "pencil", "fyko+d2lbbFgONRv9qkxdawL") { MinIterationCount = 1 };
        using SaslResponse first = CreateInitial(mechanism);
        byte[] serverFirst = Ascii("r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=1");

        using SaslResponse final = mechanism.EvaluateChallenge(serverFirst);

        Assert.False(final.IsEmpty);
    }

    [Fact]
    public void UserName_Escaped()
    {
        using SaslResponse response = CreateInitial(new ScramSha256Mechanism("a,b=c", "pencil", "nonce"));

        Assert.Equal("n,,n=a=2Cb=3Dc,r=nonce", Text(response));
    }

    [Fact]
    public void UserName_SaslPrepMapsSpaceAndSoftHyphen()
    {
        using SaslResponse response = CreateInitial(new ScramSha256Mechanism("us\u00ADer\u00A0x", "pencil", "nonce"));

        Assert.Equal("n,,n=user x,r=nonce", Text(response));
    }

    [Fact]
    public void UserName_SaslPrepNormalizesNfkc()
    {
        // U+2168 ROMAN NUMERAL NINE becomes "IX" under NFKC (RFC 4013 section 3 example).
        using SaslResponse response = CreateInitial(new ScramSha256Mechanism("\u2168", "pencil", "nonce"));

        Assert.Equal("n,,n=IX,r=nonce", Text(response));
    }

    [Theory]
    [InlineData("us\u0007er", "pencil")]
    [InlineData("user", "pen\u0085cil")]
    [InlineData("us\uE000er", "pencil")]
    public void ProhibitedCharacters_Throw(string user, string password)
    {
        Assert.Throws<ArgumentException>(() => new ScramSha256Mechanism(user, password));
    }

    [Fact]
    public void RandomNonce_DiffersPerInstance()
    {
        using SaslResponse first = CreateInitial(new ScramSha256Mechanism("user", "pencil"));
        using SaslResponse second = CreateInitial(new ScramSha256Mechanism("user", "pencil"));

        Assert.NotEqual(Text(first), Text(second));
        Assert.Equal("n,,n=user,r=".Length + 32, first.Length);
    }
}
