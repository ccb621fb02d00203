using System.Net;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;
using Challenge.Identity;
using Challenge.StackHarness;
using Dapper;
using MySqlConnector;

namespace Challenge.ApiTests.Orders;

[Collection(ServicesCollection.Name)]
public sealed class RequestTimeoutTests(ServicesFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    /// <summary>
    /// A request stuck on a row lock is abandoned when its time is up (one second on this instance; the lock wait
    /// alone would last five): a 504 problem, its transaction rolled back, and its key free for the retry.
    /// </summary>
    [Fact]
    public async Task ARequestPastItsTimeoutIsAnswered504AndLeavesNothingBehind()
    {
        var instance = fixture.Host(Instances.OrdersApiShortTimeout);
        var client = instance.Client(fixture.CreateToken(Roles.Operator, Resources.OrdersApi));
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        // The instance's first orders, unhindered, warm its path (connections, the customer check): on a busy machine the
        // first may itself take more than the second, and is then simply tried again (its key left nothing behind).
        var warm = await records.CreateProductAsync(stock: 5);
        for (var attempt = 1; (await records.PlaceAsync(customer, [(warm, 1)], "warm-up-" + key, client)).StatusCode != HttpStatusCode.Created; attempt++)
        {
            Assert.True(attempt < 5, "The instance could not place an unhindered order within its second five times in a row.");
        }

        await using (var blocker = new MySqlConnection(await fixture.ConnectionStringAsync(RunningStack.OrdersDb)))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("SELECT id FROM products WHERE id = @product FOR UPDATE", new { product }, hold);
            var call = records.PlaceAsync(customer, [(product, 2)], key, client);
            await TestRecords.WaitUntilTheReservationWaitsAsync(blocker, hold, product, call);

            // Answered while the row is still held: the timeout, not the lock wait, ended it.
            var problem = await (await call).ExpectProblemAsync(HttpStatusCode.GatewayTimeout);
            Assert.Contains("within 1 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await hold.RollbackAsync();
        }

        Assert.Single(await records.OrdersOfAsync(customer));
        Assert.Equal(10, await records.StockAsync(product));
        await (await records.PlaceAsync(customer, [(product, 2)], key, client)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(8, await records.StockAsync(product));
        Assert.Equal(2, (await records.OrdersOfAsync(customer)).Count);
    }
}
