using System.Collections;
using System.Text.Json;
using System.Xml.Linq;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Module.Invocations;
using ZarrPartition.Module.Runtime;
using ZarrPartition.Module.Tests.Runtime;

namespace ZarrPartition.Module.Tests.Invocations;

/// <summary>
/// The main job as the cmdlets run it (their invocations through the pump, the engine for real, a fake
/// host in PowerShell's place): template, plan, write from partition objects that went through a
/// JSON round trip and a Clixml-like property bag, status, completion; -WhatIf writes nothing;
/// a replaced plan is refused.
/// </summary>
public sealed class PipelineInvocationTests
{
    private static PumpResult<IReadOnlyList<object>> Run(IInvocation invocation, FakeHost? host = null) =>
        OperationPump.Run(invocation.Run, host ?? new FakeHost(), CancellationToken.None);

    private static ZarrTemplate Template(SampleStore s, FakeHost? host = null) =>
        (ZarrTemplate)Assert.Single(Run(new NewTemplateInvocation(s.Sources, s.Store, Chunks: new Hashtable { ["time"] = 24 }), host).Value);

    [Fact]
    public void Template_plan_write_test_complete_from_serialised_partitions()
    {
        using var s = new SampleStore();
        var host = new FakeHost();
        var template = Template(s, host);
        Assert.Equal(s.Store, template.Store);
        Assert.Equal(96, template.TimeSteps);
        Assert.Contains("time=24", template.Chunks, StringComparison.Ordinal);
        Assert.Contains(host.Events, e => e.StartsWith("should: Create a Zarr v2 template", StringComparison.Ordinal));

        var partitions = Run(new PlanInvocation(template.Store, WorkerCount: 4, Source: s.Sources)).Value.Cast<ZarrPlannedPartition>().ToList();
        Assert.Equal(4, partitions.Count);
        Assert.All(partitions, p => Assert.Equal(s.Store + ".plan.json", p.PlanPath));
        Assert.True(File.Exists(s.Store + ".plan.json"));
        Assert.Equal([0, 1, 2, 3], partitions.Select(p => p.Index));
        Assert.All(partitions, p => Assert.Matches("^time=[0-9]+:[0-9]+", p.Region));
        Assert.All(partitions, p => Assert.NotEmpty(p.Sources));

        // ConvertTo-Json | ConvertFrom-Json: only the properties survive, as text and numbers
        var json = JsonSerializer.Serialize(partitions);
        var bags = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(json)!;
        foreach (var bag in bags)
        {
            var write = new WriteInvocation(bag["PlanPath"].GetString()!, bag["Index"].GetInt32(), bag["PartitionId"].GetString(), PassThru: true);
            var result = (ZarrPartitionResult)Assert.Single(Run(write).Value);
            Assert.Equal(bag["Index"].GetInt32(), result.Index);
            Assert.Equal(result.Chunks, result.Written);
            Assert.False(result.AlreadyComplete);
        }

        var status = (ZarrStoreStatus)Assert.Single(Run(new TestStoreInvocation(s.Store, partitions[0].PlanPath)).Value);
        Assert.True(status.Complete);
        Assert.Equal(4, status.CompletePartitions);
        Assert.Empty(status.IncompletePartitions);
        Assert.All(status.PartitionStates, p => Assert.Equal("Complete", p.State));
        Assert.Equal(true, Assert.Single(Run(new TestStoreInvocation(s.Store, partitions[0].PlanPath, Quiet: true)).Value));

        // writing again is a no-op unless forced
        var again = (ZarrPartitionResult)Assert.Single(Run(new WriteInvocation(partitions[1].PlanPath, 1, PassThru: true)).Value);
        Assert.True(again.AlreadyComplete);
        Assert.Empty(Run(new WriteInvocation(partitions[1].PlanPath, 1)).Value); // no -PassThru, no output

        var done = (ZarrStoreCompletion)Assert.Single(Run(new CompleteStoreInvocation(s.Store, partitions[0].PlanPath, PassThru: true)).Value);
        Assert.Equal(4, done.Partitions);
        Assert.False(done.Forced);
        Assert.True(((ZarrStoreStatus)Run(new TestStoreInvocation(s.Store)).Value[0]).Finalized);
    }

    [Fact]
    public void Partitions_survive_an_xml_property_bag_round_trip_as_Export_Clixml_gives_them()
    {
        using var s = new SampleStore();
        Template(s);
        var p = Run(new PlanInvocation(s.Store, OutFile: s["plan.json"], WorkerCount: 2, Source: s.Sources)).Value.Cast<ZarrPlannedPartition>().First();

        // Import-Clixml gives a property bag of strings, numbers and lists: rebuild one from text
        var xml = new XElement("Obj", typeof(ZarrPlannedPartition).GetProperties().Select(prop =>
            new XElement("Prop", new XAttribute("N", prop.Name), prop.GetValue(p) is string[] list ? string.Join("\n", list) : Convert.ToString(prop.GetValue(p), System.Globalization.CultureInfo.InvariantCulture))));
        var bag = XElement.Parse(xml.ToString()).Elements().ToDictionary(e => (string)e.Attribute("N")!, e => e.Value);
        var result = (ZarrPartitionResult)Assert.Single(Run(new WriteInvocation(bag["PlanPath"], int.Parse(bag["Index"], System.Globalization.CultureInfo.InvariantCulture), bag["PartitionId"], PassThru: true)).Value);
        Assert.Equal(p.Chunks, result.Chunks);
        Assert.Equal(s["plan.json"], result.PlanPath);
    }

    [Fact]
    public void WhatIf_writes_nothing_and_emits_nothing()
    {
        using var s = new SampleStore();
        var no = new FakeHost(answer: false);
        var template = Run(new NewTemplateInvocation(s.Sources, s.Store), no);
        Assert.True(template.Declined);
        Assert.False(Directory.Exists(s.Store));
        Assert.Contains(no.Events, e => e.StartsWith("should: Create a Zarr v2 template", StringComparison.Ordinal));

        Template(s);
        var partitions = Run(new PlanInvocation(s.Store, WorkerCount: 2, Source: s.Sources)).Value.Cast<ZarrPlannedPartition>().ToList();
        var write = Run(new WriteInvocation(partitions[0].PlanPath, 0, partitions[0].PartitionId, PassThru: true), no);
        Assert.True(write.Declined);
        Assert.Contains(no.Events, e => e.StartsWith("should: Write partition 0 of 2", StringComparison.Ordinal));
        var status = (ZarrStoreStatus)Run(new TestStoreInvocation(s.Store, partitions[0].PlanPath)).Value[0];
        Assert.Equal(0, status.CompletePartitions);
        Assert.All(status.PartitionStates, p => Assert.Equal("NotStarted", p.State));

        var complete = Run(new CompleteStoreInvocation(s.Store, Force: true, PassThru: true), no);
        Assert.True(complete.Declined);
        Assert.False(((ZarrStoreStatus)Run(new TestStoreInvocation(s.Store)).Value[0]).Finalized);
    }

    [Fact]
    public void A_replaced_plan_file_is_refused_and_stops_the_writes()
    {
        using var s = new SampleStore();
        Template(s);
        var old = Run(new PlanInvocation(s.Store, WorkerCount: 4, Source: s.Sources)).Value.Cast<ZarrPlannedPartition>().ToList();
        Run(new PlanInvocation(s.Store, WorkerCount: 2, Source: s.Sources));
        var e = Assert.Throws<ZarrPartitionException>(() => Run(new WriteInvocation(old[1].PlanPath, old[1].Index, old[1].PartitionId)));
        Assert.Equal(ModuleErrors.PlanChanged, e.ErrorId);
        Assert.True(ErrorPolicy.Map(e, ErrorScope.Partition).Terminating);
    }

    [Fact]
    public void Without_an_index_the_rank_comes_from_the_array_task_environment()
    {
        using var s = new SampleStore();
        Template(s);
        var p = Run(new PlanInvocation(s.Store, WorkerCount: 4, Source: s.Sources)).Value.Cast<ZarrPlannedPartition>().ToList();
        var env = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "3" };
        var r = (ZarrPartitionResult)Assert.Single(Run(new WriteInvocation(p[0].PlanPath, PassThru: true) { Environment = n => env.GetValueOrDefault(n) }).Value);
        Assert.Equal(3, r.Index);

        var none = Assert.Throws<ZarrPartitionException>(() => Run(new WriteInvocation(p[0].PlanPath) { Environment = _ => null }));
        Assert.Equal("NoRank", none.ErrorId);
        Assert.True(ErrorPolicy.Map(none, ErrorScope.Partition).Terminating);
        var outOfRange = Assert.Throws<ZarrPartitionException>(() => Run(new WriteInvocation(p[0].PlanPath, 9)));
        Assert.Equal("RankOutOfRange", outOfRange.ErrorId);
        Assert.False(ErrorPolicy.Map(outOfRange, ErrorScope.Partition).Terminating);
    }

    [Fact]
    public void Incomplete_plans_go_to_their_own_file_and_hold_only_what_is_missing()
    {
        using var s = new SampleStore();
        Template(s);
        var all = Run(new PlanInvocation(s.Store, WorkerCount: 4, Source: s.Sources)).Value.Cast<ZarrPlannedPartition>().ToList();
        Run(new WriteInvocation(all[0].PlanPath, 0));
        Run(new WriteInvocation(all[0].PlanPath, 2));
        var rest = Run(new PlanInvocation(s.Store, WorkerCount: 4, Source: s.Sources, Incomplete: true)).Value.Cast<ZarrPlannedPartition>().ToList();
        Assert.Equal(2, rest.Count);
        Assert.All(rest, p => Assert.Equal(s.Store + ".incomplete.plan.json", p.PlanPath));
        Assert.Equal(all.Where(p => p.Index is 1 or 3).Select(p => p.Region), rest.Select(p => p.Region));
    }

    [Fact]
    public void Store_errors_carry_their_ids_and_do_not_stop_a_cmdlet_working_through_several_stores()
    {
        using var s = new SampleStore();
        var e = Assert.Throws<ZarrPartitionException>(() => Run(new TestStoreInvocation(s["missing.zarr"])));
        Assert.Equal("StoreNotFound", e.ErrorId);
        var info = ErrorPolicy.Map(e, new TestStoreInvocation(s["missing.zarr"]).Scope);
        Assert.False(info.Terminating);
        Assert.Equal("ObjectNotFound", info.Category);

        Template(s);
        var incomplete = Assert.Throws<ZarrPartitionException>(() => Run(new CompleteStoreInvocation(s.Store)));
        Assert.Equal("NothingWritten", incomplete.ErrorId);
        var exists = Assert.Throws<ZarrPartitionException>(() => Run(new NewTemplateInvocation(s.Sources, s.Store)));
        Assert.Equal("DestinationExists", exists.ErrorId);
        Assert.True(ErrorPolicy.Map(exists, ErrorScope.Whole).Terminating);
        Assert.Single(Run(new NewTemplateInvocation(s.Sources, s.Store, Force: true)).Value);
    }
}
