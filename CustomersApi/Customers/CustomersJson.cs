using System.Text.Json.Serialization;
using Challenge.Contracts.Customers;
using Challenge.Data;

namespace Challenge.CustomersApi.Customers;

/// <summary>The Customers API's bodies, serialized by generated code (the contract's options come from <c>ApiJson</c>).</summary>
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(CustomerRequest))]
[JsonSerializable(typeof(Page<Customer>))]
internal sealed partial class CustomersJson : JsonSerializerContext;
