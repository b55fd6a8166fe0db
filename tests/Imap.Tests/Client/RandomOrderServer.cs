using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace RawMail.Imap.Tests.Client;

/// <summary>
/// An IMAP server on 127.0.0.1 for pipelining tests. It keeps the commands it receives and replies to a random
/// subset of them at random moments, interleaving their untagged data and completing them in a random order. It
/// records every pair of commands that the client had in flight together although RFC 9051 section 5.5 or the
/// client's result routing forbids it.
/// </summary>
/// <remarks>
/// It understands UID FETCH and FETCH of one number with (FLAGS), STATUS boxN (MESSAGES), UID SEARCH SUBJECT sN
/// (with or without ESEARCH), LIST "" boxN and NOOP, and replies to each with data derived from N.
/// </remarks>
internal sealed partial class RandomOrderServer : IAsyncDisposable
{
    // How long the server waits for another command before it replies to every command it keeps.
    private static readonly TimeSpan s_quietPeriod = TimeSpan.FromMilliseconds(25);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Random _random;
    private readonly bool _esearch;
    private readonly List<Command> _pending = [];
    private readonly List<string> _violations = [];
    private Task? _run;

    public RandomOrderServer(int seed, bool esearch)
    {
        _random = new Random(seed);
        _esearch = esearch;
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Pairs of commands that were in flight together although they must not be.</summary>
    public IReadOnlyList<string> Violations => _violations;

    public RandomOrderServer Start()
    {
        _run = Task.Run(RunAsync);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The client closed the connection; the test reads the outcome from its own results.
            }
        }
    }

    private async Task RunAsync()
    {
        using TcpClient client = await _listener.AcceptTcpClientAsync();
        client.NoDelay = true;
        NetworkStream stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        string capabilities = "IMAP4rev1 LITERAL+" + (_esearch ? " ESEARCH" : "");
        await WriteAsync(stream, $"* PREAUTH [CAPABILITY {capabilities}] ready\r\n");
        Task<string?> nextLine = reader.ReadLineAsync();
        while (true)
        {
            Task finished = await Task.WhenAny(nextLine, Task.Delay(s_quietPeriod));
            if (finished == nextLine)
            {
                string? line = await nextLine;
                if (line is null)
                {
                    return;
                }

                Receive(line);
                nextLine = reader.ReadLineAsync();
                if (_random.Next(3) == 0)
                {
                    await AnswerAsync(stream, _random.Next(_pending.Count + 1));
                }
            }
            else if (_pending.Count > 0)
            {
                await AnswerAsync(stream, _pending.Count);
            }
        }
    }

    private void Receive(string line)
    {
        var command = Command.Parse(line);
        foreach (Command other in _pending)
        {
            if (command.ConflictsWith(other, _esearch))
            {
                _violations.Add(other.Line + " | " + command.Line);
            }
        }

        _pending.Add(command);
    }

    /// <summary>Answers <paramref name="count"/> held commands, interleaving their responses at random.</summary>
    private async Task AnswerAsync(Stream stream, int count)
    {
        var queues = new List<Queue<string>>();
        for (int i = 0; i < count; i++)
        {
            Command command = _pending[_random.Next(_pending.Count)];
            _pending.Remove(command);
            queues.Add(new Queue<string>(command.Responses()));
        }

        var output = new StringBuilder();
        while (queues.Count > 0)
        {
            Queue<string> queue = queues[_random.Next(queues.Count)];
            output.Append(queue.Dequeue());
            if (queue.Count == 0)
            {
                queues.Remove(queue);
            }
        }

        await WriteAsync(stream, output.ToString());
    }

    private static async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text));
        await stream.FlushAsync();
    }

    [GeneratedRegex(@"^(?<tag>\S+) (?<verb>UID FETCH|FETCH|STATUS|UID SEARCH|LIST|NOOP)\b\D*(?<n>\d*)")]
    private static partial Regex CommandPattern();

    private sealed record Command(string Line, string Tag, string Verb, int Number)
    {
        public static Command Parse(string line)
        {
            Match match = CommandPattern().Match(line);
            if (!match.Success)
            {
                throw new InvalidOperationException($"The server does not know the command '{line}'.");
            }

            int number = match.Groups["n"].Value.Length > 0 ? int.Parse(match.Groups["n"].Value) : 0;
            return new Command(line, match.Groups["tag"].Value, match.Groups["verb"].Value, number);
        }

        /// <summary>The untagged data and then the tagged completion, in the order the server must send them.</summary>
        public IEnumerable<string> Responses()
        {
            switch (Verb)
            {
                case "UID FETCH":
                    yield return $"* {Number + 100} FETCH (UID {Number} FLAGS (\\Seen))\r\n";
                    break;
                case "FETCH":
                    yield return $"* {Number} FETCH (FLAGS (\\Flagged))\r\n";
                    break;
                case "STATUS":
                    yield return $"* STATUS box{Number} (MESSAGES {Number * 10})\r\n";
                    break;
                case "UID SEARCH" when Line.Contains("RETURN", StringComparison.Ordinal):
                    yield return $"* ESEARCH (TAG \"{Tag}\") UID ALL {Number}\r\n";
                    break;
                case "UID SEARCH":
                    yield return $"* SEARCH {Number}\r\n";
                    break;
                case "LIST":
                    yield return $"* LIST () \"/\" box{Number}\r\n";
                    break;
            }

            yield return $"{Tag} OK {Verb} done\r\n";
        }

        /// <summary>Whether this command and <paramref name="other"/> must not be in flight together.</summary>
        public bool ConflictsWith(Command other, bool esearch)
        {
            // A FETCH by sequence number is unambiguous only beside commands during which the server must not
            // send EXPUNGE (RFC 9051 section 7.5.1).
            if ((Verb == "FETCH" && other.Verb != "FETCH") || (other.Verb == "FETCH" && Verb != "FETCH"))
            {
                return true;
            }

            if (Verb != other.Verb)
            {
                return false;
            }

            return Verb switch
            {
                "UID FETCH" or "FETCH" or "STATUS" => Number == other.Number,
                "UID SEARCH" => !esearch,
                "LIST" => true,
                _ => false,
            };
        }
    }
}
