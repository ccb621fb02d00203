using Challenge.Contracts.Customers;

namespace Challenge.Contracts.Orchestration;

/// <summary>
/// What the Orders API keeps under an orchestration's key, committed with the order, and answers the first call and
/// every replay alike: the orchestrator renders its envelope from it, so a replay is the first answer byte for byte.
/// </summary>
public sealed record OrchestrationRecord(string CorrelationId, CustomerSnapshot Customer, OrderSummary Order);
