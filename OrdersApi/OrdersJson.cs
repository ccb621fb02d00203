using System.Text.Json.Serialization;
using Challenge.Contracts.Customers;
using Challenge.Contracts.Orchestration;
using Challenge.Contracts.Overview;
using Challenge.OrdersApi.Products;
using Challenge.Webhooks.Deliveries;
using Challenge.Webhooks.Events;
using Challenge.Webhooks.Subscriptions;

namespace Challenge.OrdersApi;

/// <summary>The Orders API's bodies, serialized by generated code (the contract's options come from <c>ApiJson</c>).</summary>
[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(NewProduct))]
[JsonSerializable(typeof(ProductPatch))]
[JsonSerializable(typeof(Page<Product>))]
[JsonSerializable(typeof(CatalogProduct))]
[JsonSerializable(typeof(Page<CatalogProduct>))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(NewOrder))]
[JsonSerializable(typeof(Page<Order>))]
[JsonSerializable(typeof(OrchestrationCall))]
[JsonSerializable(typeof(OrchestrationRecord))]
[JsonSerializable(typeof(OrchestrationLookup))]
[JsonSerializable(typeof(CustomerSnapshot))]
[JsonSerializable(typeof(NewSubscription))]
[JsonSerializable(typeof(CreatedSubscription))]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(RotatedSecret))]
[JsonSerializable(typeof(Page<Subscription>))]
[JsonSerializable(typeof(Page<Delivery>))]
[JsonSerializable(typeof(Page<FeedEvent>))]
[JsonSerializable(typeof(OperatorOverview))]
internal sealed partial class OrdersJson : JsonSerializerContext;
