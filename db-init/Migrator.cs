using EvolveDb;
using MySqlConnector;

namespace Challenge.DbInit;

/// <summary>
/// Applies the versioned migrations of a database (<c>Migrations/&lt;set&gt;/V&lt;n&gt;__&lt;what&gt;.sql</c>, embedded) with
/// Evolve: each once, in order, recorded in the database's <c>changelog</c> table. Any number of migrators may start at
/// once: Evolve holds a server-wide lock while it works, and the others find the database up to date. A migration that
/// was applied is never edited (its checksum is checked); a change is a new migration.
/// </summary>
public sealed partial class Migrator
{
    /// <summary>The migration sets, each named after the connection string that points at its database.</summary>
    public static readonly IReadOnlyList<string> Sets = ["customersdb", "ordersdb"];

    /// <summary>Migrates each database the configuration has a connection string for; 0 when every one is at its latest version.</summary>
    public static int Run(IConfiguration configuration, ILogger logger)
    {
        var targets = Sets.Where(set => !string.IsNullOrWhiteSpace(configuration.GetConnectionString(set))).ToList();
        if (targets.Count == 0)
        {
            LogNothingToMigrate(logger, string.Join(", ", Sets.Select(set => $"ConnectionStrings__{set}")));
            return 1;
        }
        foreach (var set in targets)
        {
            try
            {
                Migrate(set, configuration.GetConnectionString(set)!, logger);
            }
            catch (Exception exception) when (exception is EvolveException or MySqlException or InvalidOperationException)
            {
                LogFailed(logger, set, exception);
                return 1;
            }
        }
        return 0;
    }

    /// <summary>
    /// Creates the database of <paramref name="connectionString"/> if it does not exist (the migrations need one to work
    /// in) and applies the migrations of <paramref name="set"/> to it. The user of the connection string must be allowed
    /// to create the database and its tables.
    /// </summary>
    public static void Migrate(string set, string connectionString, ILogger logger)
    {
        var settings = new MySqlConnectionStringBuilder(connectionString);
        var database = settings.Database is { Length: > 0 } named ? named : set;
        settings.Database = "";
        using (var server = new MySqlConnection(settings.ConnectionString))
        {
            server.Open();
            using var create = new MySqlCommand(
                $"CREATE DATABASE IF NOT EXISTS {new MySqlCommandBuilder().QuoteIdentifier(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                server);
            create.ExecuteNonQuery();
        }
        settings.Database = database;
        using var connection = new MySqlConnection(settings.ConnectionString);
        var evolve = new Evolve(connection, message => LogEvolve(logger, database, message))
        {
            EmbeddedResourceAssemblies = [typeof(Migrator).Assembly],
            EmbeddedResourceFilters = [$"{set}."],
            // Never erase a database, whatever a validation finds: a mismatch stops the migration and says why.
            IsEraseDisabled = true,
            CommandTimeout = 600,
        };
        // Evolve takes a filter that matches nothing for a database with nothing to do: that is a mistake here.
        if (!evolve.MigrationLoader.GetMigrations().Any())
        {
            throw new InvalidOperationException($"No migration of {set} is embedded in the migrator.");
        }
        evolve.Migrate();
        LogMigrated(logger, database, evolve.NbMigration);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Nothing to migrate: none of {Variables} is set")]
    private static partial void LogNothingToMigrate(ILogger logger, string variables);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migrating {Set} failed; the services must not start on it")]
    private static partial void LogFailed(ILogger logger, string set, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database}: {Message}")]
    private static partial void LogEvolve(ILogger logger, string database, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database} is at its latest version ({Applied} migrations applied now)")]
    private static partial void LogMigrated(ILogger logger, string database, int applied);
}
