using ZarrPartition.Engine.Errors;
using ZarrPartition.Module.Runtime;
using ZarrPartition.Module.Tests.Metadata;

namespace ZarrPartition.Module.Tests.Runtime;

public sealed class ErrorPolicyTests
{
    [Fact]
    public void Every_category_the_policy_names_is_a_member_of_ErrorCategory()
    {
        var categories = ModuleMetadata.EnumNames(ModuleMetadata.Shared.SmaType("ErrorCategory")).ToHashSet(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            Assert.Contains(ErrorPolicy.Category(kind), categories);
        }

        foreach (var e in new Exception[] { new UnauthorizedAccessException("x"), new IOException("x"), new OperationCanceledException(), new InvalidCastException("x"),
            new ZarrPartitionException("PartitionBusy", ErrorKind.ResourceExists, "3", "busy") })
        {
            Assert.Contains(ErrorPolicy.Map(e, ErrorScope.Store).Category, categories);
        }
    }

    [Theory]
    [InlineData("WriteFailed", ErrorKind.WriteError, ErrorScope.Partition, false)]
    [InlineData("SourceNotFound", ErrorKind.ObjectNotFound, ErrorScope.Partition, false)]
    [InlineData("PartitionBusy", ErrorKind.ResourceExists, ErrorScope.Partition, false)]
    [InlineData("RankOutOfRange", ErrorKind.InvalidArgument, ErrorScope.Partition, false)]
    [InlineData("StoreNotFound", ErrorKind.ObjectNotFound, ErrorScope.Partition, true)]
    [InlineData("InvalidPlan", ErrorKind.InvalidData, ErrorScope.Partition, true)]
    [InlineData("PlanChanged", ErrorKind.InvalidData, ErrorScope.Partition, true)]
    [InlineData("StoreNotFound", ErrorKind.ObjectNotFound, ErrorScope.Store, false)]
    [InlineData("UnknownVariable", ErrorKind.InvalidArgument, ErrorScope.Store, false)]
    [InlineData("PartitionsIncomplete", ErrorKind.InvalidArgument, ErrorScope.Store, false)]
    [InlineData("InvalidRegion", ErrorKind.InvalidArgument, ErrorScope.Store, true)]
    [InlineData("InvalidByteSize", ErrorKind.InvalidArgument, ErrorScope.Partition, true)]
    [InlineData("InvalidDimensionSizes", ErrorKind.InvalidArgument, ErrorScope.Store, true)]
    [InlineData("SourceNotFound", ErrorKind.ObjectNotFound, ErrorScope.Whole, true)]
    [InlineData("DestinationExists", ErrorKind.ResourceExists, ErrorScope.Whole, true)]
    public void Per_item_failures_go_on_and_bad_stores_plans_parameters_and_whole_commands_stop(string id, ErrorKind kind, ErrorScope scope, bool terminating)
    {
        var info = ErrorPolicy.Map(new ZarrPartitionException(id, kind, "target", "what to do"), scope);
        Assert.Equal(id, info.ErrorId);
        Assert.Equal("target", info.Target);
        Assert.Equal("what to do", info.Message);
        Assert.Equal(terminating, info.Terminating);
    }

    [Fact]
    public void Typed_errors_inside_aggregates_are_reported_as_themselves()
    {
        var inner = new ChunkException("ChunkWriteFailed", ErrorKind.WriteError, "t2m", "0.0.0", "no space");
        var info = ErrorPolicy.Map(new AggregateException(new IOException("other"), new AggregateException(inner)), ErrorScope.Partition);
        Assert.Equal("ChunkWriteFailed", info.ErrorId);
        Assert.Equal("WriteError", info.Category);
        Assert.Equal("t2m:0.0.0", info.Target);
        Assert.False(info.Terminating);
    }

    [Fact]
    public void Unexpected_exceptions_stop_the_cmdlet_and_say_they_are_a_bug()
    {
        var info = ErrorPolicy.Map(new NullReferenceException("oops"), ErrorScope.Store);
        Assert.Equal("UnexpectedError", info.ErrorId);
        Assert.True(info.Terminating);
        Assert.Contains("bug", info.Message, StringComparison.Ordinal);
        Assert.Equal("PartitionBusy", ErrorPolicy.Map(new ZarrPartitionException("PartitionBusy", ErrorKind.ResourceExists, "3", "busy"), ErrorScope.Partition).ErrorId);
        Assert.Equal("ResourceBusy", ErrorPolicy.Map(new ZarrPartitionException("PartitionBusy", ErrorKind.ResourceExists, "3", "busy"), ErrorScope.Partition).Category);
    }
}
