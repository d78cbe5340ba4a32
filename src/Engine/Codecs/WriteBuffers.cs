using System.Buffers;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The pool for the large buffers of the chunk write path: encoded chunks and Blosc's shuffle
/// scratch. <see cref="ArrayPool{T}.Shared"/> keeps a returned buffer in the returning thread's own
/// cache, and the chunk workers are threads of their own that end with each write (see
/// <c>ChunkParallel.ForEachOverlapped</c>), so every write allocated, and the kernel faulted in,
/// new buffers of several MiB per worker. This pool keeps them across threads and writes. It holds
/// buffers of up to <see cref="MaxPooledLength"/> bytes (larger requests are allocated and dropped),
/// at most <see cref="PerSize"/> of each size, and only as many as were ever in use at once.
/// </summary>
internal static class WriteBuffers
{
    /// <summary>The largest buffer kept: a 16 MiB chunk's worst-case encoding.</summary>
    public const int MaxPooledLength = 32 * 1024 * 1024;

    /// <summary>Buffers kept per size class: more than the chunk workers of a couple of concurrent writes.</summary>
    public const int PerSize = 16;

    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(MaxPooledLength, PerSize);
}
