using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RawMail.OAuth2;

/// <summary>
/// The top-level fields of a token, error, device or discovery response, read from JSON or from
/// application/x-www-form-urlencoded. String values are kept decoded; numbers, booleans, arrays
/// and objects as their JSON text.
/// </summary>
internal sealed class ResponseFields
{
    private const int MaxExcerptLength = 120;

    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _jsonStrings;

    private ResponseFields(Dictionary<string, string> values, HashSet<string> jsonStrings)
    {
        _values = values;
        _jsonStrings = jsonStrings;
    }

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>
    /// Reads the body by its media type: JSON for application/json and +json types (and for a body
    /// that starts with '{' under text/plain), form fields for application/x-www-form-urlencoded.
    /// Returns null for anything else, such as an HTML error page.
    /// </summary>
    public static ResponseFields? TryParse(string? mediaType, ReadOnlySpan<byte> body)
    {
        bool json = mediaType is null
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/javascript", StringComparison.OrdinalIgnoreCase);
        if (json && body.TrimStart(" \t\r\n"u8).StartsWith("{"u8))
        {
            return TryParseJson(body);
        }

        if (mediaType is not null
            && mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return ParseForm(body);
        }

        return null;
    }

    public static ResponseFields FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in pairs)
        {
            values.TryAdd(pair.Key, pair.Value);
        }

        return new ResponseFields(values, new HashSet<string>(values.Keys, StringComparer.Ordinal));
    }

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    /// <summary>Reads an integer sent as a JSON number or as a digit string ("3599").</summary>
    public long? GetInt64(string name)
    {
        if (!_values.TryGetValue(name, out string? text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        // Some servers write a lifetime as 3599.0.
        if (!_jsonStrings.Contains(name)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            && number >= long.MinValue && number <= long.MaxValue)
        {
            return (long)number;
        }

        throw new OAuth2Exception(
            OAuth2ErrorReason.MalformedResponse, $"The response field '{name}' is not an integer: '{Excerpt(text)}'.");
    }

    public bool GetBoolean(string name) => _values.TryGetValue(name, out string? text) && text == "true";

    /// <summary>
    /// Reads a JSON array of numbers such as Microsoft's error_codes; anything else gives an empty list.
    /// </summary>
    public IReadOnlyList<long> GetInt64Array(string name)
    {
        if (!_values.TryGetValue(name, out string? text) || _jsonStrings.Contains(name))
        {
            return [];
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var numbers = new List<long>();
            foreach (JsonElement element in document.RootElement.EnumerateArray())
            {
                if (element.TryGetInt64(out long number))
                {
                    numbers.Add(number);
                }
            }

            return numbers;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Returns the start of a server text, escaped to printable ASCII, for an error message.</summary>
    public static string Excerpt(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder();
        foreach (char character in text[..Math.Min(text.Length, MaxExcerptLength)])
        {
            if (character is >= ' ' and <= '~')
            {
                builder.Append(character);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)character:x4}");
            }
        }

        if (text.Length > MaxExcerptLength)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    /// <summary>
    /// Describes a status-200 body that could not be parsed. Such a body may be a token response that is cut off
    /// or has the wrong media type, so only an HTML page (for example a proxy's sign-in page) is quoted. Any other
    /// body is shown by its length.
    /// </summary>
    public static string DescribeSuccessBody(ReadOnlySpan<byte> body) =>
        body.TrimStart(" \t\r\n"u8).StartsWith("<"u8)
            ? $"body '{Excerpt(body)}'"
            : $"a body of {body.Length} bytes, not shown because it may contain a token";

    public static string Excerpt(ReadOnlySpan<byte> body) =>
        Excerpt(Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxExcerptLength + 1)]));

    public static string? MediaTypeOf(HttpContentHeaders headers) => headers.ContentType?.MediaType;

    private static ResponseFields? TryParseJson(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        JsonDocument document;
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out JsonDocument? parsed))
            {
                return null;
            }

            document = parsed;
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var strings = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    values[property.Name] = property.Value.GetString()!;
                    strings.Add(property.Name);
                }
                else
                {
                    values[property.Name] = property.Value.GetRawText();
                    strings.Remove(property.Name);
                }
            }

            return new ResponseFields(values, strings);
        }
    }

    private static ResponseFields ParseForm(ReadOnlySpan<byte> body)
    {
        string text = Encoding.UTF8.GetString(body).Trim();
        return FromPairs(FormUrlEncoding.Decode(text));
    }

    /// <summary>Builds the exception for an error response, or for a response that is not one.</summary>
    public static OAuth2Exception ToException(HttpStatusCode status, string? mediaType, ReadOnlySpan<byte> body)
    {
        ResponseFields? fields = TryParse(mediaType, body);
        string? error = fields?.GetString("error");
        int code = (int)status;
        if (fields is null || error is null)
        {
            OAuth2ErrorReason reason = code >= 500
                ? OAuth2ErrorReason.ServerError
                : OAuth2ErrorReason.MalformedResponse;
            string kind = code >= 500 ? "a server error" : "a response that is not an OAuth 2.0 error";
            return new OAuth2Exception(
                reason,
                $"The authorization server returned {kind}: HTTP {code}, " +
                $"Content-Type '{mediaType ?? "none"}', body '{Excerpt(body)}'.")
            {
                StatusCode = status,
            };
        }

        string? description = fields.GetString("error_description");
        OAuth2ErrorReason mapped = OAuth2Exception.ReasonFor(error);
        if (mapped == OAuth2ErrorReason.Other && code >= 500)
        {
            mapped = OAuth2ErrorReason.ServerError;
        }

        string message = description is null
            ? $"The authorization server returned error '{Excerpt(error)}' (HTTP {code})."
            : $"The authorization server returned error '{Excerpt(error)}' (HTTP {code}): {Excerpt(description)}";
        return new OAuth2Exception(mapped, message)
        {
            Error = error,
            ErrorDescription = description,
            ErrorUri = fields.GetString("error_uri"),
            ErrorCodes = fields.GetInt64Array("error_codes"),
            TraceId = fields.GetString("trace_id"),
            CorrelationId = fields.GetString("correlation_id"),
            StatusCode = status,
        };
    }
}
