namespace RawMail.Mime.Tests;

public sealed class CharsetTests
{
    [Fact]
    public void Utf7EncodedWord_LeftReadable()
    {
        // .NET resolves the name UTF-7 but throws NotSupportedException for it.
        const string Subject = "=?utf-7?Q?+AOk-t+AOk-?=";

        Assert.Equal(Subject, EncodedWordDecoder.Decode(Subject));
    }
}
