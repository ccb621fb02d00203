using Challenge.Contracts.Idempotency;
using Challenge.Contracts.Orders;
using Challenge.OrdersApi.Idempotency;
using Challenge.OrdersApi.Orchestrations;
using Challenge.OrdersApi.Orders;
using Challenge.ApiConventions;
using Challenge.Contracts.Validation;

namespace Challenge.UnitTests;

public sealed class OrderRulesTests
{
    private static readonly Dictionary<long, ProductSnapshot> products = new()
    {
        [1] = new(1, "LAPTOP-001", "Laptop", 150_000, 10),
        [2] = new(2, "MOUSE-001", "Mouse", 5_000, 50),
    };

    [Fact]
    public void LinesNamingTheSameProductAreMergedAndSortedByProduct()
    {
        var lines = OrderLines.Merge([new(2, 3), new(1, 1), new(2, 2)]);

        Assert.Equal([new OrderLine(1, 1), new OrderLine(2, 5)], lines);
    }

    [Fact]
    public void TheTotalIsTheSumOfTheSubtotalsAtTheSnapshotPrices()
    {
        var (items, total) = OrderRules.Price([new(1, 1), new(2, 5)], products);

        Assert.Equal([150_000L, 25_000L], items.Select(i => i.SubtotalCents));
        Assert.Equal(175_000, total);
        Assert.Equal("MOUSE-001", items[1].Sku);
    }

    [Fact]
    public void ATotalBeyond64BitsFailsInsteadOfWrappingAround()
    {
        var costly = new Dictionary<long, ProductSnapshot> { [1] = new(1, "GOLD", "Gold", 100_000_000_000, 1_000_000_000) };

        Assert.Throws<OverflowException>(() => OrderRules.Price([new(1, 100_000_000)], costly));
    }

    [Fact]
    public void AValidOrderNamesNoErrors()
    {
        var errors = new ValidationErrors();

        var lines = new NewOrder(7, [new NewOrderLine(1, 1), new NewOrderLine(1, 2)]).Validate(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal([new OrderLine(1, 3)], lines);
    }

    [Fact]
    public void EveryBadLineIsNamedByItsIndex()
    {
        var errors = new ValidationErrors();

        new NewOrder(null, [new NewOrderLine(1, 0), null, new NewOrderLine(0, 1_000_001)]).Validate(errors);

        var problem = (Microsoft.AspNetCore.Http.HttpValidationProblemDetails)errors.ToProblem().ProblemDetails;
        Assert.Equal(["customer_id", "items[0].qty", "items[1]", "items[2].product_id", "items[2].qty"], problem.Errors.Keys.Order());
    }

    [Fact]
    public void AConfirmationMayBeCanceledForTheWholeWindow()
    {
        var now = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2026, 11, 24, 11, 50, 0, DateTimeKind.Utc), OrderRules.CancellableSince(now, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void TheFingerprintIgnoresTheOrderOfLinesButNotTheirContent()
    {
        static byte[] Fingerprint(params NewOrderLine[] lines) =>
            IdempotentRequest.Create(OrderPlacement.Operation, "caller", "k", OrderPlacement.Canonical(1, OrderLines.Merge(lines))).Fingerprint;

        Assert.Equal(Fingerprint(new(1, 1), new(2, 2)), Fingerprint(new(2, 2), new(1, 1)));
        Assert.Equal(Fingerprint(new NewOrderLine(1, 3)), Fingerprint(new(1, 1), new(1, 2)));
        Assert.NotEqual(Fingerprint(new NewOrderLine(1, 1)), Fingerprint(new NewOrderLine(1, 2)));
    }

    [Fact]
    public void AnOrchestrationIsAnotherRequestThanACreateOfTheSameOrderUnderTheSameKey()
    {
        var lines = OrderLines.Merge([new(1, 1), new(2, 2)]);
        var orchestration = OrderOrchestration.Request("caller", "k", 1, lines);

        Assert.Equal(OrderOrchestration.Operation, orchestration.Operation);
        Assert.NotEqual(IdempotentRequest.Create(OrderPlacement.Operation, "caller", "k", OrderPlacement.Canonical(1, lines)).Fingerprint, orchestration.Fingerprint);
        Assert.NotEqual(OrderOrchestration.Request("caller", "k", 2, lines).Fingerprint, orchestration.Fingerprint);
    }

    [Fact]
    public void TheSameKeyFromTwoCallersIsStoredAsTwoKeysAndNeitherWhole()
    {
        var alice = IdempotentRequest.Create(OrderPlacement.Operation, "sub:alice", "order-1", "1:1x1");
        var bob = IdempotentRequest.Create(OrderPlacement.Operation, "sub:bob", "order-1", "1:1x1");

        Assert.NotEqual(alice.StoredKey, bob.StoredKey);
        Assert.Equal(alice.Fingerprint, bob.Fingerprint);
        Assert.DoesNotContain("order-1", alice.StoredKey, StringComparison.Ordinal);
        Assert.Equal(64, alice.StoredKey.Length);
    }

    [Fact]
    public void LinesOfOneProductAreMergedBeforeTheirQuantityIsBounded()
    {
        var errors = new ValidationErrors();

        var lines = OrderLines.Validate([new(1, OrderLines.MaxQty), new(1, 1)], errors);

        Assert.Empty(lines);
        Assert.False(errors.IsEmpty);
    }

    [Fact]
    public void AKeyIsScopedToItsOperation()
    {
        var create = IdempotentRequest.Create(OrderPlacement.Operation, "caller", "k", "1");
        var confirm = IdempotentRequest.Create(OrderEndpoints.ConfirmOperation, "caller", "k", "1");

        Assert.NotEqual(create.Fingerprint, confirm.Fingerprint);
    }

    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("with space", true)]
    [InlineData("", false)]
    [InlineData("tab\t", false)]
    [InlineData("ключ", false)]
    public void AKeyIsPrintableAscii(string key, bool valid) => Assert.Equal(valid, IdempotencyKeys.IsValid(key));

    [Fact]
    public void AKeyIsAtMost255Characters()
    {
        Assert.True(IdempotencyKeys.IsValid(new string('k', 255)));
        Assert.False(IdempotencyKeys.IsValid(new string('k', 256)));
    }
}
