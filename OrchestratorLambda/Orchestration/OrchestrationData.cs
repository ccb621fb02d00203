using Challenge.Contracts.Customers;
using Challenge.Contracts.Orchestration;

namespace Challenge.OrchestratorLambda.Orchestration;

public sealed record OrchestrationData(CustomerSnapshot Customer, OrderSummary Order);
