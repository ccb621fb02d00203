using System.Text.Json;
using System.Text.Json.Serialization;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>Every type the orchestrator reads or writes, serialized by generated code (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(OrchestrationRequest))]
[JsonSerializable(typeof(OrchestrationResponse))]
[JsonSerializable(typeof(Challenge.Contracts.Customers.CustomerSnapshot))]
internal sealed partial class OrchestratorJson : JsonSerializerContext;
