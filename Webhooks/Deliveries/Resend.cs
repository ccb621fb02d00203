namespace Challenge.Webhooks.Deliveries;

/// <summary>What asking to send a delivery again came to.</summary>
public enum Resend
{
    /// <summary>Due at once, then on the usual schedule.</summary>
    Accepted,
    NotFound,
    DeliveredAlready,

    /// <summary>A dispatcher holds it now: sending it again would send it twice at once.</summary>
    InFlight,

    /// <summary>Its subscription is disabled (a 410 Gone): nothing is sent to it until it is enabled.</summary>
    SubscriptionDisabled,
}
