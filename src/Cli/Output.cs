using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RawMail.Cli;

/// <summary>Writes results as text lines or, with --json, as one JSON document on standard output.</summary>
internal sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions s_indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public bool IsJson { get; } = json;

    /// <summary>Writes a text line; ignored in JSON mode, where only <see cref="Json"/> writes.</summary>
    public void Line(string text)
    {
        if (!IsJson)
        {
            Console.Out.WriteLine(Printable(text));
        }
    }

    /// <summary>Writes a status line to standard error, so it never mixes with JSON on standard output.</summary>
    public static void Status(string text) => Console.Error.WriteLine(Printable(text));

    /// <summary>
    /// Replaces control characters other than tab with "\xNN". Text lines carry what a server or a mail's sender
    /// chose (a subject, a mailbox name, a device code message), and ESC or BEL in it would let them drive the
    /// terminal: set its title, recolor or hide text, or on some terminals write the clipboard.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyInRange('\0', '\x1F') && !text.AsSpan().ContainsAnyInRange('\x7F', '\x9F'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (char.IsControl(c) && c != '\t')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static JsonArray StringArray(IEnumerable<string> values) =>
        new([.. values.Select(value => (JsonNode?)JsonValue.Create(value))]);

    public void Json(JsonNode node)
    {
        if (IsJson)
        {
            Console.Out.WriteLine(node.ToJsonString(s_indented));
        }
    }
}
