namespace RawMail.Mime;

/// <summary>Hard limits and storage settings of <see cref="MimeParser"/>.</summary>
public sealed class MimeParserOptions
{
    /// <summary>Maximum bytes of one header block (a message's or a part's), in bytes.</summary>
    public int MaxHeaderBytes { get; init; } = 256 * 1024;

    /// <summary>Maximum nesting of multiparts and embedded messages.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Maximum entities (parts, multiparts and embedded messages) in one message.</summary>
    public int MaxParts { get; init; } = 10_000;

    /// <summary>
    /// Maximum decoded bytes of one part kept in memory. A larger part is moved to a temporary
    /// file, which is deleted when the message is disposed.
    /// </summary>
    public long MemoryThreshold { get; init; } = 1024 * 1024;

    /// <summary>Maximum bytes kept of a multipart preamble or epilogue; the rest is dropped.</summary>
    public int MaxPreambleBytes { get; init; } = 64 * 1024;
}
