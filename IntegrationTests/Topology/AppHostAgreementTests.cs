using System.Text.RegularExpressions;
using Challenge.DevHost;

namespace Challenge.IntegrationTests.Topology;

/// <summary>
/// The DevHost mirrors the AppHost, which cannot be built here: this reads AppHost/AppHost.cs as text and fails
/// when a resource name, a project, a database, a reference or the init scripts' folder drifts between the two.
/// </summary>
public sealed partial class AppHostAgreementTests
{
    private static readonly string source = File.ReadAllText(Path.Combine(DevStack.FindRepositoryRoot(), "AppHost", "AppHost.cs"));

    /// <summary>The AppHost's statements, each with the variable it declares (if any).</summary>
    private static readonly List<(string? Variable, string Statement)> statements = source.Split(';')
        .Select(s => (Declaration().Match(s) is { Success: true } m ? m.Groups[1].Value : null, s))
        .ToList();

    [Fact]
    public void TheMySqlServerAndTheInitScriptsAreTheSame()
    {
        Assert.Equal(StackResources.Database, AddMySql().Match(source).Groups[1].Value);
        Assert.Equal($"../{StackResources.InitScriptsFolder}", WithInitFiles().Match(source).Groups[1].Value);
        Assert.True(Directory.Exists(Path.Combine(DevStack.FindRepositoryRoot(), StackResources.InitScriptsFolder)));
    }

    [Fact]
    public void TheDatabasesAreTheSame()
    {
        var declared = AddDatabase().Matches(source).Select(m => m.Groups[1].Value).Order();

        Assert.Equal(StackResources.Services.SelectMany(s => s.Databases).Distinct().Order(), declared);
    }

    [Fact]
    public void EveryServiceHasTheSameNameProjectDatabasesAndReferences()
    {
        var names = statements
            .SelectMany(s => new[] { (s.Variable, Match: AddProject().Match(s.Statement)), (s.Variable, Match: AddDatabase().Match(s.Statement)) })
            .Where(s => s.Variable is not null && s.Match.Success)
            .ToDictionary(s => s.Variable!, s => s.Match.Groups[s.Match.Groups.Count - 1].Value);

        var services = statements.Where(s => AddProject().IsMatch(s.Statement)).Select(s =>
        {
            var project = AddProject().Match(s.Statement);
            var references = WithReference().Matches(s.Statement).Select(m => names[m.Groups[1].Value]).ToHashSet();
            return new
            {
                Name = project.Groups[2].Value,
                Project = project.Groups[1].Value,
                Databases = references.Where(r => r.EndsWith("db", StringComparison.Ordinal)).Order().ToList(),
                References = references.Where(r => !r.EndsWith("db", StringComparison.Ordinal)).Order().ToList(),
            };
        }).ToList();

        Assert.Equal(StackResources.Services.Select(s => s.Name).Order(), services.Select(s => s.Name).Order());
        foreach (var expected in StackResources.Services)
        {
            var declared = services.Single(s => s.Name == expected.Name);
            Assert.Equal(expected.Project, declared.Project);
            Assert.Equal(expected.Databases.Order(), declared.Databases);
            Assert.Equal(expected.References.Order(), declared.References);
        }
    }

    [GeneratedRegex(@"var\s+(\w+)\s*=")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"AddMySql\(""([\w-]+)""")]
    private static partial Regex AddMySql();

    [GeneratedRegex(@"WithInitFiles\(""([^""]+)""\)")]
    private static partial Regex WithInitFiles();

    [GeneratedRegex(@"AddDatabase\(""([\w-]+)""\)")]
    private static partial Regex AddDatabase();

    [GeneratedRegex(@"AddProject<Projects\.(\w+)>\(""([\w-]+)""\)")]
    private static partial Regex AddProject();

    [GeneratedRegex(@"WithReference\((\w+)\)")]
    private static partial Regex WithReference();
}
