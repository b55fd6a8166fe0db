using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace RawMail.Integration.Tests;

/// <summary>
/// Debian's headless Chromium with a fresh profile, driven through the Chrome DevTools Protocol over
/// a WebSocket on 127.0.0.1. It runs in its own process group, and disposing kills that group.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private const int SignalKill = 9;

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Queue<string> _stderrTail = new();
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts Chromium at <paramref name="url"/> and connects to its page.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} not found; run `scripts/servers start` as root, which installs Debian's chromium package");
        }

        DirectoryInfo profile = Directory.CreateTempSubdirectory("rawmail-chromium-");
        // setsid makes Chromium the leader of a new process group, so its helper processes can be
        // killed with it by the group id, which equals the pid this test started.
        var start = new ProcessStartInfo("/usr/bin/setsid")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in new[]
        {
            ExecutablePath, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile.FullName, "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", url.AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
        var browser = new HeadlessChromium(process, profile);
        process.ErrorDataReceived += (_, line) => browser.KeepStderrLine(line.Data);
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await browser.ConnectAsync(cancellationToken);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public int ProcessId => _process.Id;

    /// <summary>Evaluates a JavaScript expression in the page and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        JsonElement result = await SendAsync(
            "Runtime.evaluate",
            writer =>
            {
                writer.WriteString("expression", expression);
                writer.WriteBoolean("returnByValue", true);
            },
            cancellationToken);
        if (result.TryGetProperty("exceptionDetails", out JsonElement exception))
        {
            throw new InvalidOperationException($"the page threw while evaluating '{expression}': {exception}");
        }

        JsonElement value = result.GetProperty("result");
        return value.TryGetProperty("value", out JsonElement returned) ? returned.Clone() : default;
    }

    /// <summary>
    /// Evaluates <paramref name="condition"/> until it is true. A page in the middle of a navigation
    /// has no execution context, so evaluation errors count as false.
    /// </summary>
    public async Task WaitUntilAsync(string condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                JsonElement value = await EvaluateAsync(condition, cancellationToken);
                if (value.ValueKind == JsonValueKind.True)
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Navigation in progress; ask again.
            }

            await Task.Delay(s_pollInterval, cancellationToken);
        }
    }

    /// <summary>Returns the page's current location.</summary>
    public async Task<Uri> GetLocationAsync(CancellationToken cancellationToken)
    {
        JsonElement href = await EvaluateAsync("location.href", cancellationToken);
        return new Uri(href.GetString()!);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();

        // A negative pid names the process group (POSIX kill(2)), which also contains the renderer and
        // GPU helpers. When that signal fails, the tree is killed by pid instead.
        bool signalled = _process.HasExited || SendSignal(-_process.Id, SignalKill) == 0;
        if (!signalled || !_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A helper process that outlived the kill may still write to the profile.
        }

        return ValueTask.CompletedTask;
    }

    private void KeepStderrLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            if (_stderrTail.Count > 20)
            {
                _stderrTail.Dequeue();
            }
        }
    }

    private string StderrTail()
    {
        lock (_stderrTail)
        {
            return string.Join('\n', _stderrTail);
        }
    }

    // Chromium writes the port it chose and the browser target path to DevToolsActivePort in the profile.
    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        string portFile = Path.Combine(_profile.FullName, "DevToolsActivePort");
        string[] lines;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Chromium exited with code {_process.ExitCode} before it opened the DevTools port:\n{StderrTail()}");
            }

            if (File.Exists(portFile)
                && (lines = await File.ReadAllLinesAsync(portFile, cancellationToken)).Length >= 2)
            {
                break;
            }

            await Task.Delay(s_pollInterval, cancellationToken);
        }

        int port = int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string targets = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), cancellationToken);
        using JsonDocument document = JsonDocument.Parse(targets);
        foreach (JsonElement target in document.RootElement.EnumerateArray())
        {
            if (target.GetProperty("type").GetString() == "page")
            {
                var endpoint = new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!);
                await _socket.ConnectAsync(endpoint, cancellationToken);
                return;
            }
        }

        throw new InvalidOperationException($"Chromium lists no page target: {targets}");
    }

    // Sends one command and skips events until its response arrives (one command at a time).
    private async Task<JsonElement> SendAsync(
        string method, Action<Utf8JsonWriter> writeParameters, CancellationToken cancellationToken)
    {
        int id = ++_nextId;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("method", method);
            writer.WriteStartObject("params");
            writeParameters(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await _socket.SendAsync(buffer.ToArray(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        while (true)
        {
            using JsonDocument message = JsonDocument.Parse(await ReceiveAsync(cancellationToken));
            JsonElement root = message.RootElement;
            if (!root.TryGetProperty("id", out JsonElement responseId) || responseId.GetInt32() != id)
            {
                continue;
            }

            if (root.TryGetProperty("error", out JsonElement error))
            {
                throw new InvalidOperationException($"DevTools command {method} failed: {error}");
            }

            return root.GetProperty("result").Clone();
        }
    }

    private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        while (true)
        {
            WebSocketReceiveResult result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new IOException("Chromium closed the DevTools connection");
            }

            message.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
