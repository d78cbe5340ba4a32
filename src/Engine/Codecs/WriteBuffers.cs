using System.Buffers;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The pool for the large buffers of the chunk write path: encoded chunks and Blosc's shuffle
/// scratch. <see cref="ArrayPool{T}.Shared"/> keeps a returned buffer in the returning thread's own
/// cache, and the chunk workers are threads of their own that end with each write (see
/// <c>ChunkParallel.ForEachOverlapped</c>), so every write allocated, and the kernel faulted in,
/// new buffers of several MiB per worker. This pool keeps them across threads and writes. It holds
/// buffers of up to <see cref="MaxPooledLength"/> bytes (larger requests are allocated and dropped),
/// at most <see cref="PerSize"/> of each size, and only as many as were ever in use at once; all of
/// them are let go once no buffer has been rented or returned for <see cref="IdleTrim"/>, so an
/// interactive session does not hold a large write's buffers for the rest of its life.
/// </summary>
internal static class WriteBuffers
{
    /// <summary>The largest buffer kept: a 16 MiB chunk's worst-case encoding.</summary>
    public const int MaxPooledLength = 32 * 1024 * 1024;

    /// <summary>Buffers kept per size class: more than the chunk workers of a couple of concurrent writes.</summary>
    public const int PerSize = 16;

    /// <summary>Idle time after which the pooled buffers are dropped (back-to-back writes keep them).</summary>
    public static readonly TimeSpan IdleTrim = TimeSpan.FromSeconds(10);

    public static IdleTrimmedPool Pool { get; } = new(MaxPooledLength, PerSize, IdleTrim);
}

/// <summary>
/// An <see cref="ArrayPool{T}"/> of bytes shared by all threads that drops everything it holds
/// after a period without use. Rentals outstanding at a trim are simply returned to the fresh pool.
/// </summary>
internal sealed class IdleTrimmedPool
{
    private readonly int _maxLength;
    private readonly int _perSize;
    private readonly long _idleMs;
    private readonly Timer _timer;
    private ArrayPool<byte> _pool;
    private long _lastUse;
    private int _armed;
    private int _trims;

    public IdleTrimmedPool(int maxLength, int perSize, TimeSpan idle)
    {
        _maxLength = maxLength;
        _perSize = perSize;
        _idleMs = Math.Max(1, (long)idle.TotalMilliseconds);
        _pool = ArrayPool<byte>.Create(maxLength, perSize);
        _timer = new Timer(static state => ((IdleTrimmedPool)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>How many times the pool has let its buffers go.</summary>
    public int Trims => Volatile.Read(ref _trims);

    public byte[] Rent(int minimumLength)
    {
        Volatile.Write(ref _lastUse, Environment.TickCount64);
        return Volatile.Read(ref _pool).Rent(minimumLength);
    }

    public void Return(byte[] buffer)
    {
        Volatile.Write(ref _lastUse, Environment.TickCount64);
        Volatile.Read(ref _pool).Return(buffer);
        if (Interlocked.Exchange(ref _armed, 1) == 0)
        {
            _timer.Change(_idleMs, Timeout.Infinite);
        }
    }

    /// <summary>
    /// Drops the pooled buffers when the pool has not been used for the idle time before
    /// <paramref name="now"/> (<see cref="Environment.TickCount64"/> milliseconds); true when it did.
    /// </summary>
    public bool TrimIfIdle(long now)
    {
        if (now - Volatile.Read(ref _lastUse) < _idleMs)
        {
            return false;
        }

        // buffers of the old pool are collected with it; ones rented from it come back to the new one
        Volatile.Write(ref _pool, ArrayPool<byte>.Create(_maxLength, _perSize));
        Interlocked.Increment(ref _trims);
        return true;
    }

    private void OnTimer()
    {
        long now = Environment.TickCount64;
        if (!TrimIfIdle(now))
        {
            _timer.Change(Math.Max(1, _idleMs - (now - Volatile.Read(ref _lastUse))), Timeout.Infinite);
            return;
        }

        Volatile.Write(ref _armed, 0);
        // a buffer returned between the trim and the line above found the timer still armed: arm it for that one
        if (Volatile.Read(ref _lastUse) >= now && Interlocked.Exchange(ref _armed, 1) == 0)
        {
            _timer.Change(_idleMs, Timeout.Infinite);
        }
    }
}
