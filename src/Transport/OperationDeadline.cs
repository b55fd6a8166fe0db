namespace RawMail.Transport;

/// <summary>
/// A reusable deadline for one read or write at a time: one CancellationTokenSource per direction, reset after each
/// operation, linked to the caller's token through a registration instead of a new linked source.
/// </summary>
internal sealed class OperationDeadline : IDisposable
{
    private readonly TimeSpan _timeout;
    private CancellationTokenSource _source = new();
    private CancellationTokenRegistration _callerRegistration;

    public OperationDeadline(TimeSpan timeout)
    {
        _timeout = timeout;
    }

    public TimeSpan Timeout => _timeout;

    public CancellationToken Start(CancellationToken callerToken)
    {
        if (!_source.TryReset())
        {
            _source.Dispose();
            _source = new CancellationTokenSource();
        }

        if (_timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            _source.CancelAfter(_timeout);
        }

        if (callerToken.CanBeCanceled)
        {
            _callerRegistration = callerToken.UnsafeRegister(
                static state => ((CancellationTokenSource)state!).Cancel(),
                _source);
        }

        return _source.Token;
    }

    /// <summary>Detaches the caller's token and stops the timer; call it in a finally after each operation.</summary>
    public void Stop()
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
        try
        {
            _source.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection was disposed while this operation ran; the operation already reports the failure.
        }
    }

    public void Dispose()
    {
        _callerRegistration.Dispose();
        _source.Dispose();
    }
}
