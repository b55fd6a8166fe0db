using System.Buffers;

namespace RawMail.Mime;

/// <summary>
/// Decoded content of a part: bytes in memory, a caller's stream factory, or a temporary file
/// the parser spilled a large part to. A spilled file is deleted when the content is disposed.
/// </summary>
public sealed class MimeContent : IDisposable
{
    private readonly byte[]? _bytes;
    private readonly Func<Stream>? _factory;
    private readonly FileStream? _file;

    private MimeContent(byte[]? bytes, Func<Stream>? factory, FileStream? file, long? length)
    {
        _bytes = bytes;
        _factory = factory;
        _file = file;
        Length = length;
    }

    /// <summary>Length in bytes, or null for a stream factory whose length is not known.</summary>
    public long? Length { get; }

    /// <summary>True when the content is an array in memory, which stays readable after disposal.</summary>
    internal bool IsInMemory => _bytes is not null;

    public static MimeContent FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new MimeContent(bytes, null, null, bytes.Length);
    }

    /// <summary>Content read from a new stream on each write; the stream is read in chunks.</summary>
    public static MimeContent FromStream(Func<Stream> openStream, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(openStream);
        return new MimeContent(null, openStream, null, length);
    }

    internal static MimeContent FromSpillFile(FileStream file) => new(null, null, file, file.Length);

    /// <summary>Opens a new read stream over the content; the caller disposes it.</summary>
    public Stream Open()
    {
        if (_bytes is not null)
        {
            return new MemoryStream(_bytes, writable: false);
        }

        if (_factory is not null)
        {
            return _factory();
        }

        // A second handle on the spill file, so readers do not share the writer's position.
        return new FileStream(_file!.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 1, FileOptions.SequentialScan);
    }

    /// <summary>Reads the whole content into an array; use <see cref="Open"/> for large parts.</summary>
    public byte[] ToArray()
    {
        if (_bytes is not null)
        {
            return _bytes;
        }

        using Stream stream = Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => _file?.Dispose();
}

/// <summary>
/// Collects decoded part content in memory up to a threshold, then in a temporary file that is
/// deleted on close, so a large attachment is never held whole in memory by the parser.
/// </summary>
/// <remarks>
/// In memory the content goes into pooled chunks that never move, and <see cref="Complete"/>
/// copies them once into an array of the exact length. A growing array would copy the content
/// again at every doubling.
/// </remarks>
internal sealed class ContentSink : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = 16 * 1024;

    private readonly long _memoryThreshold;
    private List<(byte[] Array, int Length)>? _full;
    private byte[]? _current;
    private int _currentLength;
    private long _memoryLength;
    private FileStream? _file;
    private byte[] _scratch = [];

    public ContentSink(long memoryThreshold)
    {
        _memoryThreshold = memoryThreshold;
    }

    public void Advance(int count)
    {
        if (_file is not null)
        {
            _file.Write(_scratch, 0, count);
            return;
        }

        _currentLength += count;
        _memoryLength += count;
        if (_memoryLength > _memoryThreshold)
        {
            Spill();
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_file is not null)
        {
            return Scratch(sizeHint);
        }

        int size = Math.Max(sizeHint, 1);
        if (_current is null || _current.Length - _currentLength < size)
        {
            RetireCurrent();
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(size, ChunkSize));
        }

        return _current.AsMemory(_currentLength);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public MimeContent Complete()
    {
        if (_file is null)
        {
            byte[] bytes = _memoryLength == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)_memoryLength);
            int offset = 0;
            foreach ((byte[] array, int length) in _full ?? [])
            {
                array.AsSpan(0, length).CopyTo(bytes.AsSpan(offset));
                offset += length;
            }

            _current?.AsSpan(0, _currentLength).CopyTo(bytes.AsSpan(offset));
            ReturnChunks();
            return MimeContent.FromBytes(bytes);
        }

        _file.Flush();
        FileStream file = _file;
        _file = null;
        return MimeContent.FromSpillFile(file);
    }

    public void Dispose()
    {
        ReturnChunks();
        _file?.Dispose();
    }

    private void RetireCurrent()
    {
        if (_current is null)
        {
            return;
        }

        if (_currentLength > 0)
        {
            (_full ??= []).Add((_current, _currentLength));
        }
        else
        {
            ArrayPool<byte>.Shared.Return(_current);
        }

        _current = null;
        _currentLength = 0;
    }

    private void ReturnChunks()
    {
        RetireCurrent();
        foreach ((byte[] array, _) in _full ?? [])
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _full?.Clear();
        _memoryLength = 0;
    }

    private Memory<byte> Scratch(int sizeHint)
    {
        int size = Math.Max(sizeHint, 4096);
        if (_scratch.Length < size)
        {
            _scratch = new byte[size];
        }

        return _scratch;
    }

    private void Spill()
    {
        string path = Path.Combine(Path.GetTempPath(), "rawmail-" + Guid.NewGuid().ToString("N") + ".part");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete,
            bufferSize: 81920, FileOptions.DeleteOnClose);
        RetireCurrent();
        foreach ((byte[] array, int length) in _full ?? [])
        {
            _file.Write(array, 0, length);
        }

        ReturnChunks();
    }
}
