namespace Challenge.Webhooks.Deliveries;

/// <summary>How a claim shares the dispatcher's capacity: in turns, not to whoever's deliveries came due first.</summary>
public static class Turns
{
    /// <summary>
    /// Deals up to <paramref name="limit"/> deliveries across the subscriptions that wait, one at a time: every owner's
    /// first, then every owner's second, and so on (owners that waited longest first); within an owner, its
    /// subscriptions in turn; none past its room. How many each subscription may send now.
    /// </summary>
    public static Dictionary<long, int> Deal(IEnumerable<Waiting> waiting, int limit)
    {
        var owners = waiting
            .GroupBy(w => w.Owner)
            .Select(owner => new Queue<Waiting>(owner.Where(w => w.Room > 0).OrderBy(w => w.WaitingSince).ThenBy(w => w.Subscription)))
            .Where(subscriptions => subscriptions.Count > 0)
            .OrderBy(subscriptions => subscriptions.Peek().WaitingSince)
            .ToList();
        var shares = new Dictionary<long, int>();
        var dealt = 0;
        while (dealt < limit && owners.Count > 0)
        {
            foreach (var subscriptions in owners)
            {
                if (dealt == limit)
                {
                    break;
                }
                var next = subscriptions.Dequeue();
                var share = shares[next.Subscription] = shares.GetValueOrDefault(next.Subscription) + 1;
                dealt++;
                if (share < next.Room)
                {
                    subscriptions.Enqueue(next);
                }
            }
            owners.RemoveAll(subscriptions => subscriptions.Count == 0);
        }
        return shares;
    }
}
