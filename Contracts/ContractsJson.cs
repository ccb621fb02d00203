using System.Text.Json;
using System.Text.Json.Serialization;
using Challenge.Contracts.Customers;
using Challenge.Contracts.Orchestration;

namespace Challenge.Contracts;

/// <summary>The contract's bodies as the services send and read them, serialized by generated code (AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(CustomerSnapshot))]
[JsonSerializable(typeof(OrchestrationCall))]
[JsonSerializable(typeof(OrchestrationLookup))]
[JsonSerializable(typeof(OrchestrationRecord))]
public sealed partial class ContractsJson : JsonSerializerContext;
