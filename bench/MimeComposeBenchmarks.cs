using System.Buffers.Text;
using BenchmarkDotNet.Attributes;
using RawMail.Benchmarks.Workloads;
using RawMail.Mime;

namespace RawMail.Benchmarks;

/// <summary>
/// MIME compose: writes a message with a text body and one 10 MB attachment through
/// <see cref="MimeMessage.WriteToAsync(Stream, CancellationToken)"/> into a counting stream, against base64-encoding
/// the same octets with <see cref="Base64.EncodeToUtf8(ReadOnlySpan{byte}, Span{byte}, out int, out int, bool)"/>.
/// Results are per message.
/// </summary>
[MemoryDiagnoser]
public class MimeComposeBenchmarks
{
    private byte[] _attachment = [];
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        // 10 MB of random octets from a fixed seed, or 100 KB in quick mode.
        _attachment = new byte[WorkloadSize.IsQuick ? 100 * 1024 : 10 * 1024 * 1024];
        new Random(20261204).NextBytes(_attachment);
        _encoded = new byte[Base64.GetMaxEncodedToUtf8Length(_attachment.Length)];
    }

    [Benchmark(Baseline = true)]
    public int EncodeBase64()
    {
        Base64.EncodeToUtf8(_attachment, _encoded, out _, out int written);
        return written;
    }

    [Benchmark]
    public async Task<long> ComposeWithAttachment()
    {
        using var message = new MimeMessage { Subject = "Quarterly figures", TextBody = "The figures are attached.\n" };
        message.From.Add(new MailboxAddress("Ann Example", "ann@example.test"));
        message.To.Add(new MailboxAddress("bob@example.test"));
        message.Attachments.Add(new Attachment(
            "figures.bin", new ContentType("application", "octet-stream"), MimeContent.FromBytes(_attachment)));
        var counter = new CountingStream();
        await message.WriteToAsync(counter);
        return counter.Length;
    }
}
