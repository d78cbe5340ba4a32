namespace ZarrPartition.Module.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "ZarrPartition.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (ZarrPartition.sln) above " + AppContext.BaseDirectory);
        }
    }

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The module assembly the tests were built against (the project reference's copy).</summary>
    public static string ModuleAssembly => Path.Combine(AppContext.BaseDirectory, "ZarrPartition.dll");

    public static string EngineAssembly => Path.Combine(AppContext.BaseDirectory, "ZarrPartition.Engine.dll");

    public static string ModuleDocumentation => Path.Combine(AppContext.BaseDirectory, "ZarrPartition.xml");

    public static string StubAutomation => Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll");
}
