using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Events;

/// <summary>
/// What every test of order events starts from: the dispatcher running (hosted here, on a clock the test moves, as the
/// AppHost's resource would run), the test's own records, and its subscriptions, ended with the test.
/// </summary>
public abstract class EventTestBase(ServicesFixture fixture) : IAsyncLifetime
{
    protected static readonly string[] CreatedOnly = ["order.created"];

    protected ServicesFixture Fixture { get; } = fixture;

    protected TestRecords Records { get; } = new(fixture);

    protected TestSubscriptions Subscriptions { get; } = new(fixture);

    public Task InitializeAsync()
    {
        _ = Fixture.Host(Resources.OrderEvents).Services;
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Subscriptions.EndAllAsync();
}
