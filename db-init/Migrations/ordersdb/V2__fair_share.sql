-- What tenants share, shared fairly: caps judged one request of a customer at a time, and webhook subscriptions that
-- can be told apart, capped and paused.

-- One row per customer, locked by the statements that admit something of that customer against a cap (its unconfirmed
-- orders, its webhook subscriptions), so that concurrent requests of one customer are judged one after the other.
-- Customer 0 stands for the subscriptions to every customer.
CREATE TABLE customer_locks (
  customer_id BIGINT NOT NULL,
  PRIMARY KEY (customer_id)
) ENGINE = InnoDB;

-- What a customer holds unconfirmed: its CREATED orders, found without reading its others.
ALTER TABLE orders ADD KEY ix_orders_customer_status (customer_id, status, id);

ALTER TABLE webhook_subscriptions
  -- Whose subscription it is: its customer, or 0 for every customer's.
  ADD COLUMN scope_id BIGINT AS (COALESCE(customer_id, 0)) STORED,
  -- SHA-256 of the URL as subscriptions compare it (scheme and host in lower case, a default port dropped): one URL once
  -- per scope. NULL for a subscription made before, until the Orders API fills it in at its start.
  ADD COLUMN url_key BINARY(32) NULL,
  -- Attempts that failed in a row, and the time before which none is made: an endpoint that keeps failing is paused.
  ADD COLUMN failures INT NOT NULL DEFAULT 0,
  ADD COLUMN paused_until DATETIME(3) NULL,
  ADD UNIQUE KEY ux_webhook_subscriptions_url (scope_id, url_key),
  ADD KEY ix_webhook_subscriptions_scope (scope_id, id);

-- What is in flight, by subscription: the deliveries claimed and not yet recorded (a few rows, however long the backlog).
ALTER TABLE webhook_deliveries ADD KEY ix_webhook_deliveries_in_flight (status, claimed_until, subscription_id);
