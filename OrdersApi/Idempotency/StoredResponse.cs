namespace Challenge.OrdersApi.Idempotency;

public sealed record StoredResponse(byte[] Fingerprint, int StatusCode, string Body);
