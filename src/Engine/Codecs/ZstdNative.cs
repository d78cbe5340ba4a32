using System.Buffers;
using System.Reflection;
using System.Runtime.InteropServices;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// Zstandard through the system's libzstd (Debian: libzstd1, <c>libzstd.so.1</c>). The library is
/// loaded on first use; when it is missing every call throws a <see cref="CodecException"/> with
/// kind <see cref="ErrorKind.ResourceUnavailable"/> that says what to install. Thread-safe.
/// </summary>
public static unsafe class ZstdNative
{
    private const string CodecName = "zstd";

    // ZSTD_getFrameContentSize's two special answers.
    private const ulong ContentSizeUnknown = ulong.MaxValue;
    private const ulong ContentSizeError = ulong.MaxValue - 1;

    // ZSTD_cParameter values (stable API).
    private const int ParamCompressionLevel = 100;
    private const int ParamChecksumFlag = 201;

    // ZSTD_ResetDirective: end any frame in progress (one that failed, say) and keep the parameters.
    private const int ResetSessionOnly = 1;

    // Frames claiming more than this (and more than 1024x their own size) are decoded as a stream,
    // so a corrupt size field cannot make us allocate gigabytes up front.
    private const long DirectDecodeLimit = 64L << 20;

    private static readonly string[] CandidateNames =
    [
        "libzstd.so.1", "libzstd.so", "libzstd", "zstd", "libzstd.1.dylib", "libzstd.dylib", "libzstd.dll", "zstd.dll",
    ];

    private static readonly Lazy<Binding> Library = new(Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when libzstd could be loaded.</summary>
    public static bool IsAvailable => Library.Value.Api is not null;

    /// <summary>The highest compression level the loaded libzstd accepts (22 for current releases).</summary>
    public static int MaxLevel => Api.MaxCLevel();

    /// <summary>The lowest (fastest, negative) compression level the loaded libzstd accepts.</summary>
    public static int MinLevel => Api.MinCLevel();

    private static Functions Api => Library.Value.Api ?? throw Unavailable(Library.Value.Problem);

    /// <summary>Compresses into one zstd frame that records the content size.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> src, int level) => Compress(src, level, checksum: false);

    /// <summary>Compresses into one zstd frame; <paramref name="checksum"/> appends the frame's XXH64-based checksum.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> src, int level, bool checksum)
    {
        int bound = MaxCompressedLength(src.Length);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            return scratch.AsSpan(0, Compress(src, scratch.AsSpan(0, bound), level, checksum)).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The largest frame <see cref="Compress(ReadOnlySpan{byte}, Span{byte}, int, bool)"/> can write for an input of this length.</summary>
    public static int MaxCompressedLength(int length)
    {
        Functions api = Api;
        nuint bound = api.CompressBound((nuint)length);
        if (api.IsError(bound) != 0 || bound > (nuint)Array.MaxLength)
        {
            throw new CodecException(CodecName, "InputTooLarge", ErrorKind.InvalidArgument, $"{length} bytes are too many to compress in one zstd frame.");
        }

        return (int)bound;
    }

    /// <summary>
    /// Compresses into <paramref name="dst"/> (<see cref="MaxCompressedLength"/> bytes always
    /// suffice) and returns the frame length; a failure, a too-small <paramref name="dst"/>
    /// included, throws <see cref="CodecException"/>.
    /// </summary>
    public static int Compress(ReadOnlySpan<byte> src, Span<byte> dst, int level, bool checksum)
    {
        Functions api = Api;
        nuint written = CompressWithContext(api, src, dst, level, checksum);
        ThrowIfError(api, written, "compressing");
        return (int)written;
    }

    /// <summary>
    /// Compresses into <paramref name="dst"/>; returns the frame length, or -1 when it does not fit
    /// (or libzstd reports any other failure). Throws only when libzstd is missing.
    /// </summary>
    internal static int TryCompress(ReadOnlySpan<byte> src, Span<byte> dst, int level)
    {
        Functions api = Api;
        nuint written = CompressWithContext(api, src, dst, level, checksum: false);
        return api.IsError(written) != 0 || written > (nuint)dst.Length ? -1 : (int)written;
    }

    /// <summary>
    /// One frame through this thread's compression context. ZSTD_compress would create a context
    /// for every call, and for a chunk of a few MiB its tables are fresh memory each time, which the
    /// kernel must fault in and zero: on a 1 GiB write that cost more system time than the
    /// compression itself. The session is reset first (a frame that did not fit leaves the context
    /// mid-frame, where parameters cannot be set), then both parameters the frame depends on are set.
    /// </summary>
    private static nuint CompressWithContext(Functions api, ReadOnlySpan<byte> src, Span<byte> dst, int level, bool checksum)
    {
        nint cctx = ThreadContext.Compression(api);
        nuint status = api.ResetCCtx(cctx, ResetSessionOnly);
        if (api.IsError(status) != 0)
        {
            return status;
        }

        status = api.SetParameter(cctx, ParamCompressionLevel, level);
        if (api.IsError(status) != 0)
        {
            return status;
        }

        status = api.SetParameter(cctx, ParamChecksumFlag, checksum ? 1 : 0);
        if (api.IsError(status) != 0)
        {
            return status;
        }

        byte dummyIn = 0;
        byte dummyOut = 0;
        fixed (byte* s0 = src)
        fixed (byte* d0 = dst)
        {
            byte* s = s0 == null ? &dummyIn : s0;
            byte* d = d0 == null ? &dummyOut : d0;
            return api.Compress2(cctx, d, (nuint)dst.Length, s, (nuint)src.Length);
        }
    }

    /// <summary>
    /// A libzstd context owned by one thread, freed when the thread is gone. ZSTD_compress and
    /// ZSTD_decompress would create (and fault in) a context for every call; on small chunks the
    /// decompression context alone cost more than the decoding.
    /// </summary>
    private sealed class ThreadContext
    {
        [ThreadStatic]
        private static ThreadContext? _compression;

        [ThreadStatic]
        private static ThreadContext? _decompression;

        private readonly delegate* unmanaged<nint, nuint> _free;
        private readonly nint _handle;

        private ThreadContext(delegate* unmanaged<nint, nuint> free, nint handle)
        {
            _free = free;
            _handle = handle;
        }

        ~ThreadContext()
        {
            _free(_handle);
        }

        public static nint Compression(Functions api) => (_compression ??= Create(api.CreateCCtx, api.FreeCCtx, "compression"))._handle;

        public static nint Decompression(Functions api) => (_decompression ??= Create(api.CreateDCtx, api.FreeDCtx, "decompression"))._handle;

        private static ThreadContext Create(delegate* unmanaged<nint> create, delegate* unmanaged<nint, nuint> free, string what)
        {
            nint handle = create();
            if (handle == 0)
            {
                throw new CodecException(CodecName, "ZstdOutOfMemory", ErrorKind.ResourceUnavailable, $"libzstd could not allocate a {what} context.");
            }

            return new ThreadContext(free, handle);
        }
    }

    /// <summary>Decompresses every frame in <paramref name="src"/> into a new array.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> src)
    {
        Functions api = Api;
        if (src.IsEmpty)
        {
            throw Corrupt("the input is empty");
        }

        ulong declared;
        fixed (byte* s = src)
        {
            declared = api.GetFrameContentSize(s, (nuint)src.Length);
        }

        if (declared == ContentSizeError)
        {
            throw Corrupt("the input does not start with a zstd frame header");
        }

        if (declared != ContentSizeUnknown
            && declared <= (ulong)Array.MaxLength
            && ((long)declared <= DirectDecodeLimit || (long)declared <= src.Length * 1024L))
        {
            byte[] result = declared == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)declared);
            byte dummy = 0;
            nuint got;
            fixed (byte* s = src)
            fixed (byte* d0 = result)
            {
                byte* d = d0 == null ? &dummy : d0;
                got = api.DecompressDCtx(ThreadContext.Decompression(api), d, (nuint)result.Length, s, (nuint)src.Length);
            }

            if (api.IsError(got) == 0 && got == (nuint)result.Length)
            {
                return result;
            }

            // Several frames, or damage: the streaming decoder handles the first and reports the second.
        }

        return DecompressStreaming(api, src, declared);
    }

    /// <summary>
    /// Decompresses every frame in <paramref name="src"/> into <paramref name="dst"/>; returns the
    /// number of bytes written. Throws <see cref="CodecException"/> when the input is damaged or the
    /// content does not fit.
    /// </summary>
    public static int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        Functions api = Api;
        if (src.IsEmpty)
        {
            throw Corrupt("the input is empty");
        }

        byte dummy = 0;
        nuint got;
        fixed (byte* s = src)
        fixed (byte* d0 = dst)
        {
            byte* d = d0 == null ? &dummy : d0;
            got = api.DecompressDCtx(ThreadContext.Decompression(api), d, (nuint)dst.Length, s, (nuint)src.Length);
        }

        if (api.IsError(got) != 0)
        {
            throw Corrupt(ErrorName(api, got));
        }

        return (int)got;
    }

    private static byte[] DecompressStreaming(Functions api, ReadOnlySpan<byte> src, ulong declared)
    {
        nint stream = api.CreateDStream();
        if (stream == 0)
        {
            throw new CodecException(CodecName, "ZstdOutOfMemory", ErrorKind.ResourceUnavailable, "libzstd could not allocate a decompression stream.");
        }

        long initial = declared is not ContentSizeUnknown and not ContentSizeError && (long)declared < DirectDecodeLimit
            ? Math.Max((long)declared, 64)
            : Math.Clamp(src.Length * 4L, 64 * 1024, DirectDecodeLimit);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)initial);
        try
        {
            ThrowIfError(api, api.InitDStream(stream), "starting a decompression stream");
            long written = 0;
            fixed (byte* s = src)
            {
                var input = new InBuffer { Src = s, Size = (nuint)src.Length, Pos = 0 };
                while (true)
                {
                    nuint hint;
                    nuint produced;
                    fixed (byte* d = buffer)
                    {
                        var output = new OutBuffer { Dst = d + written, Size = (nuint)(buffer.Length - written), Pos = 0 };
                        hint = api.DecompressStream(stream, &output, &input);
                        produced = output.Pos;
                    }

                    if (api.IsError(hint) != 0)
                    {
                        throw Corrupt(ErrorName(api, hint));
                    }

                    written += (long)produced;
                    bool inputDone = input.Pos == input.Size;
                    if (hint == 0 && inputDone)
                    {
                        return buffer.AsSpan(0, (int)written).ToArray();
                    }

                    if (written == buffer.Length)
                    {
                        if (buffer.Length >= Array.MaxLength)
                        {
                            throw Corrupt("the decompressed data exceeds the largest possible array");
                        }

                        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                        buffer.AsSpan(0, (int)written).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    else if (inputDone)
                    {
                        throw Corrupt("the input ends inside a frame (truncated)");
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            api.FreeDStream(stream);
        }
    }

    private static void ThrowIfError(Functions api, nuint code, string doing)
    {
        if (api.IsError(code) != 0)
        {
            throw new CodecException(CodecName, "ZstdError", ErrorKind.InvalidData, $"libzstd failed while {doing}: {ErrorName(api, code)}.");
        }
    }

    private static string ErrorName(Functions api, nuint code)
    {
        byte* name = api.GetErrorName(code);
        return name == null ? "unknown error" : Marshal.PtrToStringUTF8((nint)name) ?? "unknown error";
    }

    private static CodecException Corrupt(string what) =>
        new(CodecName, "CorruptZstdFrame", ErrorKind.InvalidData, $"cannot decompress the zstd data: {what}.");

    private static CodecException Unavailable(string? problem) =>
        new(CodecName, "ZstdUnavailable", ErrorKind.ResourceUnavailable,
            "the zstd library (libzstd.so.1) could not be loaded"
            + (string.IsNullOrEmpty(problem) ? string.Empty : $" ({problem})")
            + ". Install Debian's libzstd1 package (or your OS's equivalent zstd shared library), "
            + "or choose another codec such as blosc:lz4:5 or zlib:1.");

    private static Binding Bind()
    {
        Assembly self = typeof(ZstdNative).Assembly;
        string problem = "tried " + string.Join(", ", CandidateNames);
        foreach (string name in CandidateNames)
        {
            if (!NativeLibrary.TryLoad(name, self, null, out nint handle))
            {
                continue;
            }

            try
            {
                return new Binding(new Functions(handle), null);
            }
            catch (EntryPointNotFoundException e)
            {
                // Too old to be useful (ZSTD_compress2 and friends arrived in 1.4.0); keep looking.
                NativeLibrary.Free(handle);
                problem = $"{name} is too old: {e.Message}";
            }
        }

        return new Binding(null, problem);
    }

    private sealed record Binding(Functions? Api, string? Problem);

    [StructLayout(LayoutKind.Sequential)]
    private struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    /// <summary>The entry points this codec uses, resolved once from the loaded library.</summary>
    private sealed class Functions
    {
        public readonly delegate* unmanaged<nuint, nuint> CompressBound;
        public readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> DecompressDCtx;
        public readonly delegate* unmanaged<nint> CreateDCtx;
        public readonly delegate* unmanaged<nint, nuint> FreeDCtx;
        public readonly delegate* unmanaged<byte*, nuint, ulong> GetFrameContentSize;
        public readonly delegate* unmanaged<nuint, uint> IsError;
        public readonly delegate* unmanaged<nuint, byte*> GetErrorName;
        public readonly delegate* unmanaged<int> MaxCLevel;
        public readonly delegate* unmanaged<int> MinCLevel;
        public readonly delegate* unmanaged<nint> CreateCCtx;
        public readonly delegate* unmanaged<nint, nuint> FreeCCtx;
        public readonly delegate* unmanaged<nint, int, int, nuint> SetParameter;
        public readonly delegate* unmanaged<nint, int, nuint> ResetCCtx;
        public readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> Compress2;
        public readonly delegate* unmanaged<nint> CreateDStream;
        public readonly delegate* unmanaged<nint, nuint> FreeDStream;
        public readonly delegate* unmanaged<nint, nuint> InitDStream;
        public readonly delegate* unmanaged<nint, OutBuffer*, InBuffer*, nuint> DecompressStream;

        public Functions(nint lib)
        {
            CompressBound = (delegate* unmanaged<nuint, nuint>)NativeLibrary.GetExport(lib, "ZSTD_compressBound");
            DecompressDCtx = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)NativeLibrary.GetExport(lib, "ZSTD_decompressDCtx");
            CreateDCtx = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "ZSTD_createDCtx");
            FreeDCtx = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(lib, "ZSTD_freeDCtx");
            GetFrameContentSize = (delegate* unmanaged<byte*, nuint, ulong>)NativeLibrary.GetExport(lib, "ZSTD_getFrameContentSize");
            IsError = (delegate* unmanaged<nuint, uint>)NativeLibrary.GetExport(lib, "ZSTD_isError");
            GetErrorName = (delegate* unmanaged<nuint, byte*>)NativeLibrary.GetExport(lib, "ZSTD_getErrorName");
            MaxCLevel = (delegate* unmanaged<int>)NativeLibrary.GetExport(lib, "ZSTD_maxCLevel");
            MinCLevel = (delegate* unmanaged<int>)NativeLibrary.GetExport(lib, "ZSTD_minCLevel");
            CreateCCtx = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "ZSTD_createCCtx");
            FreeCCtx = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(lib, "ZSTD_freeCCtx");
            SetParameter = (delegate* unmanaged<nint, int, int, nuint>)NativeLibrary.GetExport(lib, "ZSTD_CCtx_setParameter");
            ResetCCtx = (delegate* unmanaged<nint, int, nuint>)NativeLibrary.GetExport(lib, "ZSTD_CCtx_reset");
            Compress2 = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)NativeLibrary.GetExport(lib, "ZSTD_compress2");
            CreateDStream = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "ZSTD_createDStream");
            FreeDStream = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(lib, "ZSTD_freeDStream");
            InitDStream = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(lib, "ZSTD_initDStream");
            DecompressStream = (delegate* unmanaged<nint, OutBuffer*, InBuffer*, nuint>)NativeLibrary.GetExport(lib, "ZSTD_decompressStream");
        }
    }
}
