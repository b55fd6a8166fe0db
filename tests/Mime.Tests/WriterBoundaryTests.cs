using System.Text;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class WriterBoundaryTests
{
    // A stream that returns at most a few bytes per read, so a delimiter in the content is split between reads.
    private sealed class TrickleStream(byte[] data, int maxRead) : MemoryStream(data, writable: false)
    {
        public int LargestRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) =>
            Track(base.Read(buffer, offset, Math.Min(count, maxRead)));

        public override int Read(Span<byte> buffer) => Track(base.Read(buffer[..Math.Min(buffer.Length, maxRead)]));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        private int Track(int read)
        {
            LargestRead = Math.Max(LargestRead, read);
            return read;
        }
    }

    private static async Task<string> WriteAsync(MimeMessage message, Func<string> boundaries)
    {
        var options = new MimeWriterOptions
        {
            BoundaryGenerator = boundaries,
            MessageIdGenerator = _ => "id1@example.test",
            Clock = () => new DateTimeOffset(2026, 12, 4, 16, 35, 8, TimeSpan.Zero),
        };
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream, options);
        return Encoding.ASCII.GetString(stream.ToArray());
    }

    private static MimeMessage TextInMultipart(Func<Stream> openText)
    {
        var text = new MimePart(new ContentType("text", "plain"), MimeContent.FromStream(openText));
        var mixed = new Multipart("mixed");
        mixed.Children.Add(text);
        return new MimeMessage { Body = mixed };
    }

    [Fact]
    public async Task DelimiterSplitBetweenReadsAvoided()
    {
        byte[] content = Encoding.ASCII.GetBytes("line one\r\n--=_b1\r\nline three");
        int next = 0;
        string written = await WriteAsync(TextInMultipart(() => new TrickleStream(content, 3)),
            () => "=_b" + (++next));

        Assert.Contains("boundary=\"=_b2\"", written, StringComparison.Ordinal);
        Assert.Contains("\r\n--=_b1\r\nline three\r\n--=_b2--\r\n", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SevenBitPartReadInChunks()
    {
        var line = "a 7bit line of text that is shorter than the limit\r\n";
        byte[] content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(line, 20_000)));
        var streams = new List<TrickleStream>();
        string written = await WriteAsync(TextInMultipart(() =>
        {
            var stream = new TrickleStream(content, int.MaxValue);
            streams.Add(stream);
            return stream;
        }), () => "=_b");

        Assert.Contains("Content-Transfer-Encoding: 7bit", written, StringComparison.Ordinal);
        Assert.Equal(3, streams.Count);
        Assert.All(streams, stream => Assert.True(stream.LargestRead < 64 * 1024));
    }

    [Fact]
    public async Task GeneratorAlwaysCollidingThrows()
    {
        byte[] content = Encoding.ASCII.GetBytes("--=_b\r\n");
        MimeMessage message = TextInMultipart(() => new MemoryStream(content));

        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(message, () => "=_b"));
    }
}
