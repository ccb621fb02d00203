using Challenge.Webhooks.Deliveries;

namespace Challenge.UnitTests;

/// <summary>How a claim deals the dispatcher's capacity across the subscriptions that wait.</summary>
public sealed class ClaimTurnsTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void EveryOwnerGetsItsFirstBeforeAnyGetsItsSecond()
    {
        // Customer 1 has ten subscriptions that waited longest; customer 2 one that came due last.
        var waiting = Enumerable.Range(1, 10).Select(i => new Waiting(i, Owner: 1, Room: 16, Start.AddSeconds(i)))
            .Append(new Waiting(100, Owner: 2, Room: 16, Start.AddMinutes(5)))
            .ToList();

        Assert.Equal(new Dictionary<long, int> { [1] = 1, [100] = 1 }, Turns.Deal(waiting, limit: 2));
        // Then every owner's second: customer 1's next subscription in turn (longest waiting first), customer 2's only one again.
        Assert.Equal(new Dictionary<long, int> { [1] = 1, [2] = 1, [100] = 2 }, Turns.Deal(waiting, limit: 4));
    }

    [Fact]
    public void NoSubscriptionGetsMoreThanItsRoomAndTheRestGoesToOthers()
    {
        var waiting = new[]
        {
            new Waiting(1, Owner: 1, Room: 2, Start),
            new Waiting(2, Owner: 2, Room: 16, Start.AddSeconds(1)),
        };

        var shares = Turns.Deal(waiting, limit: 10);

        Assert.Equal(2, shares[1]);
        Assert.Equal(8, shares[2]);
    }

    [Fact]
    public void AnOperatorsSubscriptionsToEveryCustomerAreOwnersOfTheirOwn()
    {
        // Owners as the claim names them: a customer's id, or minus the subscription's id for one to every customer.
        var waiting = new[]
        {
            new Waiting(1, Owner: -1, Room: 16, Start),
            new Waiting(2, Owner: -2, Room: 16, Start),
            new Waiting(3, Owner: 7, Room: 16, Start),
        };

        var shares = Turns.Deal(waiting, limit: 6);

        Assert.All(shares.Values, share => Assert.Equal(2, share));
    }

    [Fact]
    public void NothingIsDealtWithoutRoomOrWithoutALimit()
    {
        Assert.Empty(Turns.Deal([new Waiting(1, Owner: 1, Room: 0, Start)], limit: 10));
        Assert.Empty(Turns.Deal([new Waiting(1, Owner: 1, Room: 16, Start)], limit: 0));
        Assert.Equal(16, Turns.Deal([new Waiting(1, Owner: 1, Room: 16, Start)], limit: 100)[1]);
    }
}
