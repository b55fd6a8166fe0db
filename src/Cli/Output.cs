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
            Console.Out.WriteLine(text);
        }
    }

    /// <summary>Writes a status line to standard error, so it never mixes with JSON on standard output.</summary>
    public static void Status(string text) => Console.Error.WriteLine(text);

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
