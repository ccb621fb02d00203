using System.Reflection;

namespace Challenge.StackHarness;

public static class SourceTree
{
    /// <summary>The folder of <c>Challenge.sln</c>, found from the running assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of the running code (Debug or Release), which the stack's binaries share.</summary>
    public static string Configuration { get; } =
        typeof(SourceTree).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Challenge.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Challenge.sln above {AppContext.BaseDirectory}.");
    }
}
