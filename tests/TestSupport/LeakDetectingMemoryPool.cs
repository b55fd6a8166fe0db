using System.Buffers;

namespace RawMail.TestSupport;

/// <summary>
/// A memory pool that counts blocks not yet returned and fails on use after return or a double return, so tests
/// can assert that a connection or parser released every buffer.
/// </summary>
public sealed class LeakDetectingMemoryPool : MemoryPool<byte>
{
    private const int BlockSize = 4096;

    private int _outstanding;
    private int _errors;

    /// <summary>Number of rented blocks not yet returned.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Number of double returns seen.</summary>
    public int Errors => Volatile.Read(ref _errors);

    public override int MaxBufferSize => 1024 * 1024;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, MaxBufferSize);
        Interlocked.Increment(ref _outstanding);
        return new Block(this, Math.Max(minBufferSize, BlockSize));
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Block(LeakDetectingMemoryPool pool, int size) : IMemoryOwner<byte>
    {
        private byte[]? _array = new byte[size];

        public Memory<byte> Memory =>
            _array ?? throw new ObjectDisposedException(nameof(Block), "The block was used after it was returned.");

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is null)
            {
                Interlocked.Increment(ref pool._errors);
                return;
            }

            Interlocked.Decrement(ref pool._outstanding);
        }
    }
}
