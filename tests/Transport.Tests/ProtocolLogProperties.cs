using System.Text;
using FsCheck.Xunit;
using RawMail.TestSupport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Transport.Tests;

public sealed class ProtocolLogProperties
{
    private const string Secret = "s3cr3t-Value+/=";

    private static readonly string[] s_commands =
    [
        "PASS " + Secret + "\r\n",
        "AUTH PLAIN " + Secret + "\r\n",
        "a1 AUTHENTICATE XOAUTH2 " + Secret + "\r\n",
        "a1 LOGIN alice " + Secret + "\r\n",
        "a1 LOGIN \"alice\" \"" + Secret + "\"\r\n",
        "APOP alice " + Secret + "\r\n",
    ];

    private static string Transcript(IEnumerable<byte[]> writes, bool server)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);
        foreach (byte[] write in writes)
        {
            if (server)
            {
                log.LogServer(write);
            }
            else
            {
                log.LogClient(write);
            }
        }

        return writer.ToString();
    }

    private static IEnumerable<byte[]> SplitAt(byte[] data, int[] offsets)
    {
        foreach (ReadOnlyMemory<byte> segment in Segmenter.SplitAtAny(data, offsets))
        {
            yield return segment.ToArray();
        }
    }

    [Property(MaxTest = 300)]
    public bool SecretMaskedForEveryWriteSplit(byte commandIndex, int[] offsets)
    {
        byte[] command = Encoding.ASCII.GetBytes(s_commands[commandIndex % s_commands.Length]);

        string whole = Transcript([command], server: false);
        string split = Transcript(SplitAt(command, offsets), server: false);

        return whole == split && !split.Contains(Secret, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool ClientTranscriptIndependentOfWrites(byte[] data, int[] offsets)
    {
        return Transcript([data], server: false) == Transcript(SplitAt(data, offsets), server: false);
    }

    [Property(MaxTest = 300)]
    public bool ServerTranscriptIndependentOfReads(byte[] data, int[] offsets)
    {
        return Transcript([data], server: true) == Transcript(SplitAt(data, offsets), server: true);
    }
}
