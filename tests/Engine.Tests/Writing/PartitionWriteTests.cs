using System.Diagnostics;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Cli;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Tests.Operations;
using ZarrPartition.Engine.Writing;
using ZarrPartition.Engine.Zarr;

using ZarrPartition.Engine.Tests.Storage;

namespace ZarrPartition.Engine.Tests.Writing;

/// <summary>
/// Template → plan → partition writes → status → finalize, end to end: separate OS processes at once,
/// a writer killed with SIGKILL and resumed, resume and overwrite, packing, verification, and faults
/// (a store that fills up, a source deleted or corrupted mid-run).
/// </summary>
public class PartitionWriteTests
{
    private const string CompareWithSources = """
        import sys, glob, xarray as xr
        store, pattern = sys.argv[1], sys.argv[2]
        ours = xr.open_zarr(store).load()
        ref = xr.open_mfdataset(sorted(glob.glob(pattern)), combine="nested", concat_dim="time",
                                data_vars="minimal", coords="minimal", compat="override").load()
        xr.testing.assert_identical(ours, ref)
        print("identical", dict(ours.sizes))
        """;

    private static string[] MakeSources(TempDir dir, int files, int steps)
    {
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(CreateTemplateTests.MakeCollection, src, files.ToString(System.Globalization.CultureInfo.InvariantCulture), steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Directory.GetFiles(src, "*.nc").Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every stored chunk file of the data variables, decoded: none may be torn.</summary>
    private static Dictionary<string, byte[]> DecodedChunks(string storePath)
    {
        var store = new FileSystemStore(storePath);
        var h = ZarrHierarchy.Open(store, useConsolidated: false);
        var chunks = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, meta) in h.Arrays)
        {
            var array = new ZarrArray(store, name, meta);
            foreach (var c in meta.Grid.AllChunks())
            {
                if (store.Exists(array.ChunkKey(c)))
                {
                    chunks[array.ChunkKey(c)] = array.ReadChunk(c);
                }
            }
        }

        return chunks;
    }

    [Fact]
    public async Task FourProcessesWriteOnePlanAtOnceAndTheStoreEqualsTheSources()
    {
        using var dir = new TempDir();
        var files = MakeSources(dir, 8, 6);
        var store = dir.Sub("t.zarr");
        var plan = dir.Sub("plan.json");
        // time chunks of 4 across 6-step files: partitions read files that straddle their chunks
        var (code, _, err) = CliRunner.Run(["template", .. files, "--store", store, "--chunks", "time=4"]);
        Assert.True(code == 0, err);
        (code, _, err) = CliRunner.Run(["plan", "--store", store, "--ranks", "4", "--sources", .. files, "--output", plan]);
        Assert.True(code == 0, err);

        var writers = Enumerable.Range(0, 4).Select(k => Task.Run(() => CliRunner.Run(["write", "--plan", plan, "--rank", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--verify"]))).ToArray();
        foreach (var (exit, _, stderr) in await Task.WhenAll(writers))
        {
            Assert.True(exit == 0, stderr);
        }

        (code, var stdout, err) = CliRunner.Run(["status", "--store", store, "--plan", plan, "--json"]);
        Assert.True(code == 0, stdout + err);
        var status = JsonNode.Parse(stdout)!;
        Assert.True(status["complete"]!.GetValue<bool>());
        Assert.Equal(4, status["completePartitions"]!.GetValue<int>());
        (code, _, err) = CliRunner.Run(["finalize", "--store", store, "--plan", plan]);
        Assert.True(code == 0, err);
        Assert.True(new FileSystemStore(store).Exists(CompleteStore.MarkerKey));

        Assert.Contains("identical", ReferenceTools.RunPython(CompareWithSources, store, Path.Combine(dir.Sub("src"), "*.nc")));

        // the hidden journal folder is no node to zarr-python or zarrita; zarrita reads what the writers wrote
        Assert.True(Directory.Exists(Path.Combine(store, ".zarrpartition", "journal")));
        var nodes = ReferenceTools.RunPython("""
            import sys, zarr
            g = zarr.open_group(sys.argv[1], mode="r")
            print(sorted(g.array_keys()), sorted(g.group_keys()), sorted(zarr.open_consolidated(sys.argv[1], mode="r").array_keys()))
            """, store);
        Assert.Equal("['lat', 'lon', 'orography', 'packed', 't2m', 'time'] [] ['lat', 'lon', 'orography', 'packed', 't2m', 'time']", nodes.Trim());
        var outDir = dir.Sub("js");
        Directory.CreateDirectory(outDir);
        ReferenceTools.RunNode("read.mjs", store, outDir, "t2m", "packed");
        var t2m = ZarrArray.Open(new FileSystemStore(store), "t2m");
        Assert.Equal(t2m.ReadRegion(new long[3], t2m.Metadata.Shape), File.ReadAllBytes(Path.Combine(outDir, "t2m.bin")));

        // the same data chunks, byte for byte, as a single-process convert
        var single = dir.Sub("single.zarr");
        (code, _, err) = CliRunner.Run(["convert", .. files, "--store", single, "--chunks", "time=4"]);
        Assert.True(code == 0, err);
        var ours = new FileSystemStore(store);
        var theirs = new FileSystemStore(single);
        foreach (var key in theirs.List().Where(k => !k.Contains("/.", StringComparison.Ordinal) && !k.StartsWith('.') && k.Split('/')[0] is "t2m" or "packed" or "orography"))
        {
            Assert.True(ours.Get(key)?.AsSpan().SequenceEqual(theirs.Get(key)) ?? false, $"{key} differs from a single-process convert");
        }
    }

    [Fact]
    public void AWriterKilledMidPartitionLeavesNoTornChunkAndARerunCompletesIt()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython("""
            import sys, netCDF4, numpy as np
            rng = np.random.default_rng(3)
            for i in range(6):
                ds = netCDF4.Dataset(f"{sys.argv[1]}/big{i}.nc", "w")
                ds.createDimension("time", None); ds.createDimension("lat", 181); ds.createDimension("lon", 360)
                t = ds.createVariable("time", "f8", ("time",)); t.units = "hours since 2001-01-01"; t[:] = np.arange(24) + 24 * i
                v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, complevel=1, shuffle=True, chunksizes=(1, 181, 360))
                v[:] = (280 + rng.normal(0, 5, (24, 181, 360))).astype("f4")
                ds.close()
            """, src);
        var files = Directory.GetFiles(src, "*.nc").Order(StringComparer.Ordinal).ToArray();
        var store = dir.Sub("k.zarr");
        var plan = dir.Sub("plan.json");
        Assert.Equal(0, CliRunner.Run(["template", .. files, "--store", store, "--chunks", "time=1", "--codec", "zlib:6"]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["plan", "--store", store, "--ranks", "1", "--sources", .. files, "--output", plan]).ExitCode);

        var t2m = Path.Combine(store, "t2m");
        int Present() => Directory.GetFiles(t2m).Count(f => !Path.GetFileName(f).StartsWith('.'));
        Process StartWriter()
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "zarrpartition.dll"), "write", "--plan", plan, "--rank", "0", "--threads", "1" })
            {
                psi.ArgumentList.Add(a);
            }

            return Process.Start(psi)!;
        }

        void WaitForChunks(Process writer, int atLeast)
        {
            var clock = Stopwatch.StartNew();
            while (Present() < atLeast && !writer.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(10);
            }

            Assert.False(writer.HasExited, "the writer finished before it could be stopped; the test needs a longer partition");
        }

        // SIGTERM: the writer stops between chunks, exits 130, and its journal says interrupted
        using (var writer = StartWriter())
        {
            WaitForChunks(writer, 10);
            using (var kill = Process.Start("kill", ["-TERM", writer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            Assert.True(writer.WaitForExit(60_000));
            Assert.Equal(130, writer.ExitCode);
            Assert.Contains("cancelled", writer.StandardError.ReadToEnd(), StringComparison.Ordinal);
        }

        var interrupted = JournalEntry.ReadAll(new FileSystemStore(store)).Single();
        Assert.Equal(PartitionState.Interrupted, interrupted.State);
        Assert.InRange(interrupted.ChunksWritten, 10, 143);

        // SIGKILL: no handler runs at all; the rerun before it resumed from the interrupted journal
        using (var writer = StartWriter())
        {
            WaitForChunks(writer, (int)interrupted.ChunksWritten + 20);
            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();
        }

        int written = Present();
        Assert.InRange(written, 30, 143);
        var afterKill = DecodedChunks(store); // every chunk file present decodes: no torn data

        var (code, stdout, _) = CliRunner.Run(["status", "--store", store, "--plan", plan, "--json"]);
        Assert.Equal(1, code);
        var status = JsonNode.Parse(stdout)!;
        Assert.False(status["complete"]!.GetValue<bool>());
        var state = status["states"]![0]!;
        Assert.True(state["state"]!.GetValue<string>() is "running" or "notstarted", state.ToJsonString());
        if (state["state"]!.GetValue<string>() == "running")
        {
            Assert.False(state["processAlive"]!.GetValue<bool>());
        }

        Assert.Equal(2, CliRunner.Run(["finalize", "--store", store, "--plan", plan]).ExitCode);

        var (rerun, rout, rerr) = CliRunner.Run(["write", "--plan", plan, "--rank", "0"]);
        Assert.True(rerun == 0, rerr);
        Assert.Equal(0, CliRunner.Run(["status", "--store", store, "--plan", plan]).ExitCode);
        var final = DecodedChunks(store);
        foreach (var (key, data) in afterKill)
        {
            Assert.True(final[key].AsSpan().SequenceEqual(data), $"{key} changed between the killed run and the rerun");
        }

        // the result equals an uninterrupted run
        var clean = dir.Sub("clean.zarr");
        Assert.Equal(0, CliRunner.Run(["convert", .. files, "--store", clean, "--chunks", "time=1", "--codec", "zlib:6"]).ExitCode);
        var reference = new FileSystemStore(clean);
        var ours = new FileSystemStore(store);
        foreach (var key in reference.List("t2m/").Where(k => !Path.GetFileName(k).StartsWith('.')))
        {
            Assert.True(ours.Get(key)!.AsSpan().SequenceEqual(reference.Get(key)), $"{key} differs from an uninterrupted run");
        }

        Assert.Contains("Partition 0 of 1", rout, StringComparison.Ordinal);
    }

    [Fact]
    public void ACompletePartitionIsANoOpAnIncompleteOneResumesAndOverwriteRewrites()
    {
        using var dir = new TempDir();
        var files = MakeSources(dir, 2, 6);
        var store = dir.Sub("t.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files, store, Chunks: new Dictionary<string, int> { ["time"] = 3 }), new RecordingSink());
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 2, Sources: files), new RecordingSink());

        var first = WritePartition.Run(new WritePartition.Request(plan, 0, Verify: true), new RecordingSink());
        Assert.False(first.AlreadyComplete);
        Assert.Equal(first.Chunks, first.Written);
        var journal = JournalEntry.Read(new FileSystemStore(store), 0, WritePartition.PartitionId(plan, plan.Partitions[0]))!;
        Assert.Equal(PartitionState.Complete, journal.State);
        Assert.Equal(first.Chunks, journal.ChunksWritten);
        Assert.Equal(Environment.ProcessId, journal.ProcessId);

        var again = WritePartition.Run(new WritePartition.Request(plan, 0), new RecordingSink());
        Assert.True(again.AlreadyComplete);
        Assert.Equal(0, again.Written);

        // an interrupted journal with half its chunks: the rerun writes only the rest
        var half = journal with { State = PartitionState.Interrupted, Written = journal.Written.Take(journal.Written.Count / 2).ToDictionary(k => k.Key, k => k.Value) };
        half.Write(new FileSystemStore(store));
        var resumed = WritePartition.Run(new WritePartition.Request(plan, 0), new RecordingSink());
        Assert.Equal(journal.Written.Count / 2, resumed.Resumed);
        Assert.Equal(first.Chunks - resumed.Resumed, resumed.Written);
        Assert.Equal(journal.Written, JournalEntry.Read(new FileSystemStore(store), 0, journal.PlanId)!.Written);

        var overwritten = WritePartition.Run(new WritePartition.Request(plan, 0, Overwrite: true), new RecordingSink());
        Assert.Equal(first.Chunks, overwritten.Written);

        // the other rank, then status and finalize
        var sink = new RecordingSink();
        Assert.Equal("PartitionsIncomplete", Assert.Throws<ZarrPartitionException>(() => CompleteStore.Run(new CompleteStore.Request(store, plan), sink)).ErrorId);
        WritePartition.Run(new WritePartition.Request(plan, 1), sink);
        Assert.True(TestStore.Run(new TestStore.Request(store, plan), sink).Complete);
        var finished = CompleteStore.Run(new CompleteStore.Request(store, plan), sink);
        Assert.True(finished.Performed && !finished.WasFinalized);
        Assert.True(CompleteStore.Run(new CompleteStore.Request(store, plan), sink).WasFinalized);
        Assert.Contains("identical", ReferenceTools.RunPython(CompareWithSources, store, Path.Combine(dir.Sub("src"), "*.nc")));

        // ranks: from --rank, else the array-task variables; none is an error
        Assert.Equal(5, WritePartition.ResolveRank(null, n => n == "JOB_COMPLETION_INDEX" ? "5" : null));
        Assert.Equal(2, WritePartition.ResolveRank(null, n => n == "SLURM_ARRAY_TASK_ID" ? "2" : n == "AWS_BATCH_JOB_ARRAY_INDEX" ? "9" : null));
        Assert.Equal(7, WritePartition.ResolveRank(7, _ => "1"));
        Assert.Equal("NoRank", Assert.Throws<ZarrPartitionException>(() => WritePartition.ResolveRank(null, _ => null)).ErrorId);

        // threads: asked for, else the plan's, else every core; a SLURM task at most its CPUs
        Assert.Equal(3, WritePartition.ResolveThreads(3, 8, 16, _ => "2"));
        Assert.Equal(8, WritePartition.ResolveThreads(0, 8, 16, _ => null));
        Assert.Equal(16, WritePartition.ResolveThreads(0, 0, 16, _ => null));
        Assert.Equal(2, WritePartition.ResolveThreads(0, 8, 16, n => n == "SLURM_CPUS_PER_TASK" ? "2" : null));
        Assert.Equal(4, WritePartition.ResolveThreads(0, 0, 16, n => n == "SLURM_CPUS_PER_TASK" ? "4" : null));
        Assert.Equal("RankOutOfRange", Assert.Throws<ZarrPartitionException>(() => WritePartition.Run(new WritePartition.Request(plan, 2), sink)).ErrorId);
    }

    [Fact]
    public void StepsNoSourceCoversReadAsTheFillValue()
    {
        using var dir = new TempDir();
        var files = MakeSources(dir, 2, 4); // 6-hourly, 1990-01-01 00:00 to 1990-01-02 18:00 (noleap)
        var store = dir.Sub("g.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files, store, Start: "1989-12-31 18:00", End: "1990-01-03 18:00", Frequency: "6h", Chunks: new Dictionary<string, int> { ["time"] = 3 }), new RecordingSink());
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 3, Sources: files), new RecordingSink());
        Assert.Contains(plan.Warnings, w => w.StartsWith("Gap: 5 of 13", StringComparison.Ordinal));
        foreach (var p in plan.Partitions)
        {
            WritePartition.Run(new WritePartition.Request(plan, p.Index, WriteEmptyChunks: true), new RecordingSink());
        }

        var output = ReferenceTools.RunPython("""
            import sys, glob, numpy as np, xarray as xr
            ours = xr.open_zarr(sys.argv[1]).load()
            ref = xr.open_mfdataset(sorted(glob.glob(sys.argv[2])), combine="nested", concat_dim="time").load()
            inside = ours.sel(time=ref.time)
            xr.testing.assert_identical(inside.t2m, ref.t2m)
            xr.testing.assert_identical(inside.packed, ref.packed)
            gap = ours.t2m.isel(time=[0] + list(range(9, 13)))
            print("gap all fill", bool(gap.isnull().all()), "raw fill", int(xr.open_zarr(sys.argv[1], mask_and_scale=False).packed.isel(time=0).values.min()))
            """, store, Path.Combine(dir.Sub("src"), "*.nc"));
        Assert.Contains("gap all fill True raw fill -32767", output);
    }

    [Fact]
    public void FloatSourcesArePackedIntoTheTemplatesIntegersAndOutOfRangeValuesErrOrClip()
    {
        using var dir = new TempDir();
        var files = MakeSources(dir, 2, 4);
        var store = dir.Sub("p.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files, store, Pack: PackSpec.ParseList("t2m=16")), new RecordingSink());
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 1, Sources: files), new RecordingSink());
        WritePartition.Run(new WritePartition.Request(plan, 0), new RecordingSink());
        var output = ReferenceTools.RunPython("""
            import sys, glob, numpy as np, xarray as xr
            ours = xr.open_zarr(sys.argv[1]).load()
            ref = xr.open_mfdataset(sorted(glob.glob(sys.argv[2])), combine="nested", concat_dim="time").load()
            sf = ours.t2m.encoding["scale_factor"]
            same_mask = bool((ours.t2m.isnull() == ref.t2m.isnull()).all())
            err = float(np.nanmax(np.abs(ours.t2m.values.astype("f8") - ref.t2m.values.astype("f8"))))
            print("mask", same_mask, "within", err <= sf * 0.5 + 1e-4 * abs(float(ref.t2m.max())), err, sf)
            """, store, Path.Combine(dir.Sub("src"), "*.nc"));
        Assert.Contains("mask True within True", output);

        // a range narrower than the data: an error naming the file, the journal says failed; clip writes with a warning
        var narrow = dir.Sub("n.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files, narrow, Pack: PackSpec.ParseList("t2m=16:270:290")), new RecordingSink());
        var nplan = PlanPartitions.Run(new PlanPartitions.Request(narrow, Ranks: 1, Sources: files), new RecordingSink());
        var e = Assert.Throws<ZarrPartitionException>(() => WritePartition.Run(new WritePartition.Request(nplan, 0), new RecordingSink()));
        Assert.Equal("PackingValueOutOfRange", e.ErrorId);
        Assert.Contains(".nc", e.Message, StringComparison.Ordinal);
        var failed = JournalEntry.Read(new FileSystemStore(narrow), 0, WritePartition.PartitionId(nplan, nplan.Partitions[0]))!;
        Assert.Equal(PartitionState.Failed, failed.State);
        Assert.Equal("PackingValueOutOfRange", failed.ErrorId);
        var sink = new RecordingSink();
        var clipped = WritePartition.Run(new WritePartition.Request(nplan, 0, OutOfRange: OutOfRangeAction.Clip), sink);
        Assert.True(clipped.Clipped > 0);
        Assert.Contains(sink.Warnings, w => w.Contains("clipped", StringComparison.Ordinal));
    }

    /// <summary>
    /// A file-system store whose writes of data keys fail as <paramref name="fault"/> says (given the key and
    /// the value's length): a full disk, a read-only destination. The journal under .zarrpartition still writes.
    /// </summary>
    private sealed class FaultyStore(FileSystemStore inner, Func<string, int, Exception?> fault) : ForwardingStore(inner)
    {
        public override void Set(string key, ReadOnlySpan<byte> value)
        {
            if (!key.StartsWith(".zarrpartition/", StringComparison.Ordinal) && fault(key, value.Length) is { } e)
            {
                throw e;
            }

            base.Set(key, value);
        }
    }

    /// <summary>A store that runs out of space after <paramref name="capacity"/> bytes of chunks.</summary>
    private static FaultyStore FullDisk(FileSystemStore inner, long capacity)
    {
        long used = 0;
        return new FaultyStore(inner, (_, length) => Interlocked.Add(ref used, length) > capacity ? new IOException("No space left on device") : null);
    }

    /// <summary>A destination whose chunk keys cannot be written (permissions, a read-only mount).</summary>
    private static FaultyStore ReadOnly(FileSystemStore inner) =>
        new(inner, (key, _) => new UnauthorizedAccessException($"Access to the path '{Path.Combine(inner.Root, key)}' is denied."));

    [Fact]
    public void ADestinationThatCannotBeWrittenIsATypedErrorWithoutRetries()
    {
        using var dir = new TempDir();
        var files = MakeSources(dir, 1, 4);
        var store = dir.Sub("t.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files, store), new RecordingSink());
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 1, Sources: files), new RecordingSink());
        var sink = new RecordingSink();
        var e = Assert.ThrowsAny<ZarrPartitionException>(() => { WritePartition.Run(new WritePartition.Request(plan, 0, Store: ReadOnly(new FileSystemStore(store))), sink); });
        Assert.Equal("WriteFailed", e.ErrorId);
        Assert.Contains("denied", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sink.Warnings, w => w.Contains("retry", StringComparison.Ordinal)); // a permission error is not transient
        var journal = JournalEntry.Read(new FileSystemStore(store), 0, WritePartition.PartitionId(plan, plan.Partitions[0]))!;
        Assert.Equal(PartitionState.Failed, journal.State);
        Assert.Equal("WriteFailed", journal.ErrorId);
    }

    [Fact]
    public void FaultsFailTheirPartitionWithATypedErrorAndLoseNothingAlreadyWritten()
    {
        using var dir = new TempDir();
        var files = MakeSources(dir, 4, 6);
        var store = dir.Sub("t.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files, store, Chunks: new Dictionary<string, int> { ["time"] = 3 }), new RecordingSink());
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 4, Sources: files), new RecordingSink());
        var fs = new FileSystemStore(store);

        // partition 0 completes first; nothing later may disturb its chunks
        WritePartition.Run(new WritePartition.Request(plan, 0), new RecordingSink());
        var before = DecodedChunks(store);

        // the disk fills up during partition 1: retried, then a typed error; the journal says failed
        var sink = new RecordingSink();
        var full = Assert.ThrowsAny<ZarrPartitionException>(() => { WritePartition.Run(new WritePartition.Request(plan, 1, Threads: 1, Retries: 2, Store: FullDisk(fs, 3000)), sink); });
        Assert.Contains("No space left on device", full.Message, StringComparison.Ordinal);
        Assert.Contains(sink.Warnings, w => w.Contains("retry 1 of 2", StringComparison.Ordinal));
        Assert.Equal(PartitionState.Failed, JournalEntry.Read(fs, 1, WritePartition.PartitionId(plan, plan.Partitions[1]))!.State);

        // a source deleted before partition 2 runs, another corrupted before partition 3: errors naming the file
        var p2 = plan.Partitions[2].Sources.Last().Path;
        var p3 = plan.Partitions[3].Sources.Last().Path;
        var cache = new SourceCache(4);
        var (keep2, keep3) = (File.ReadAllBytes(p2), File.ReadAllBytes(p3));
        File.Delete(p2);
        var missing = Assert.ThrowsAny<ZarrPartitionException>(() => { WritePartition.Run(new WritePartition.Request(plan, 2, Cache: cache), new RecordingSink()); });
        Assert.Contains(Path.GetFileName(p2), missing.Message, StringComparison.Ordinal);
        Assert.Equal(PartitionState.Failed, JournalEntry.Read(fs, 2, WritePartition.PartitionId(plan, plan.Partitions[2]))!.State);
        File.WriteAllBytes(p3, new byte[4096]);
        var corrupt = Assert.ThrowsAny<ZarrPartitionException>(() => { WritePartition.Run(new WritePartition.Request(plan, 3, Cache: cache), new RecordingSink()); });
        Assert.Contains(Path.GetFileName(p3), corrupt.Message, StringComparison.Ordinal);
        Assert.Equal(PartitionState.Failed, JournalEntry.Read(fs, 3, WritePartition.PartitionId(plan, plan.Partitions[3]))!.State);

        // partition 0 is untouched, and status names what failed
        var after = DecodedChunks(store);
        foreach (var (key, data) in before)
        {
            Assert.True(after[key].AsSpan().SequenceEqual(data), $"{key} changed");
        }

        var status = TestStore.Run(new TestStore.Request(store, plan), new RecordingSink());
        Assert.False(status.Complete);
        Assert.Equal([PartitionState.Complete, PartitionState.Failed, PartitionState.Failed, PartitionState.Failed], status.PartitionStates.Select(s => s.State));
        Assert.All(status.PartitionStates.Skip(1), s => Assert.NotNull(s.ErrorId));

        // the sources come back: a plan of what is incomplete leaves partition 0 out, its writes complete the store
        File.WriteAllBytes(p2, keep2);
        File.WriteAllBytes(p3, keep3);
        var rest = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 4, Sources: files, Incomplete: true), new RecordingSink());
        Assert.Equal(3, rest.Partitions.Count);
        Assert.DoesNotContain(rest.Partitions, p => p.Region["time"][0] == plan.Partitions[0].Region["time"][0]);
        foreach (var p in rest.Partitions)
        {
            WritePartition.Run(new WritePartition.Request(rest, p.Index, Cache: new SourceCache(4)), new RecordingSink());
        }

        Assert.True(TestStore.Run(new TestStore.Request(store, rest), new RecordingSink()).Complete);
        var none = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 4, Sources: files, Incomplete: true), new RecordingSink());
        Assert.Empty(none.Partitions);
        Assert.Contains(none.Warnings, w => w.Contains("nothing left to plan", StringComparison.Ordinal));
        CompleteStore.Run(new CompleteStore.Request(store, rest), new RecordingSink());
        Assert.Contains("identical", ReferenceTools.RunPython(CompareWithSources, store, Path.Combine(dir.Sub("src"), "*.nc")));
    }
}
