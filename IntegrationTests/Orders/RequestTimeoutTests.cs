using System.Net;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.ServiceDefaults.Auth;
using Challenge.StackHarness;
using Dapper;
using MySqlConnector;

namespace Challenge.IntegrationTests.Orders;

[Collection(StackCollection.Name)]
public sealed class RequestTimeoutTests(StackFixture fixture)
{
    private readonly Shop shop = new(fixture);

    /// <summary>
    /// A request stuck on a row lock is abandoned when its time is up (one second on this instance; the lock wait
    /// alone would last five): a 504 problem, its transaction rolled back, and its key free for the retry.
    /// </summary>
    [Fact]
    public async Task ARequestPastItsTimeoutIsAnswered504AndLeavesNothingBehind()
    {
        var instance = await fixture.Stack.StartInstanceAsync(Instances.OrdersApiShortTimeout);
        var client = StackFixture.Client(instance, fixture.Stack.CreateToken(Roles.Operator, Resources.OrdersApi));
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        // The instance's first order, unhindered, warms its path (JIT, connections, the customer check) well within the second.
        await (await shop.PlaceAsync(customer, [(await shop.CreateProductAsync(stock: 1), 1)], client: client)).ExpectAsync(HttpStatusCode.Created);

        await using (var blocker = new MySqlConnection(await fixture.Stack.ConnectionStringAsync(RunningStack.OrdersDb)))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("SELECT id FROM products WHERE id = @product FOR UPDATE", new { product }, hold);
            var call = shop.PlaceAsync(customer, [(product, 2)], key, client);
            await Shop.WaitUntilTheReservationWaitsAsync(blocker, hold, product, call);

            // Answered while the row is still held: the timeout, not the lock wait, ended it.
            var problem = await (await call).ExpectProblemAsync(HttpStatusCode.GatewayTimeout);
            Assert.Contains("within 1 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await hold.RollbackAsync();
        }

        Assert.Single(await shop.OrdersOfAsync(customer));
        Assert.Equal(10, await shop.StockAsync(product));
        await (await shop.PlaceAsync(customer, [(product, 2)], key, client)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(8, await shop.StockAsync(product));
        Assert.Equal(2, (await shop.OrdersOfAsync(customer)).Count);
    }
}
