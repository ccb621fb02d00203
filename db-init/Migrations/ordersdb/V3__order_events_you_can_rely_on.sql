-- Order events you can rely on: each event's place among its order's events, a feed by customer over a retention,
-- the lists' indexes, and subscriptions' secrets kept encrypted and rotated.

-- How many events an order has had: a change's event is the next number.
ALTER TABLE orders ADD COLUMN last_sequence INT NOT NULL DEFAULT 0;

ALTER TABLE order_events
  ADD COLUMN sequence INT NULL,
  -- A client's feed (its customer's events by id), and the retention's purge (by age).
  ADD KEY ix_order_events_customer (customer_id, id),
  ADD KEY ix_order_events_occurred (occurred_at);

-- Events written before: numbered in the order they were committed, their bodies given the number, their orders the count.
UPDATE order_events e
JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY id) AS n FROM order_events) numbered ON numbered.id = e.id
SET e.sequence = numbered.n, e.payload = JSON_SET(e.payload, '$.data.sequence', numbered.n);
UPDATE orders o SET last_sequence = (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id);
ALTER TABLE order_events MODIFY sequence INT NOT NULL;

ALTER TABLE webhook_subscriptions
  -- Secrets are stored encrypted by Data Protection (a few hundred characters); the one a rotation replaced keeps
  -- signing beside the new one until previous_secret_until.
  MODIFY secret VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  ADD COLUMN previous_secret VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN previous_secret_until DATETIME(3) NULL,
  -- Since when it gets events: made, or enabled again after a 410 (what happened while it was disabled is in the feed).
  ADD COLUMN active_since DATETIME(3) NULL;
UPDATE webhook_subscriptions SET active_since = created_at;
ALTER TABLE webhook_subscriptions MODIFY active_since DATETIME(3) NOT NULL;

ALTER TABLE webhook_deliveries
  -- A claim asks each subscription for its oldest due deliveries (a few index rows, however long the backlog), not
  -- every due delivery for the oldest.
  DROP KEY ix_webhook_deliveries_due,
  ADD KEY ix_webhook_deliveries_waiting (subscription_id, status, next_attempt_at),
  -- A subscription's deliveries by id, all or of one status; an event's deliveries; the retention's purge (by age).
  ADD KEY ix_webhook_deliveries_list (subscription_id, status, id),
  ADD KEY ix_webhook_deliveries_subscription (subscription_id, id),
  ADD KEY ix_webhook_deliveries_event (event_id),
  ADD KEY ix_webhook_deliveries_created (created_at);

-- The Data Protection key ring that encrypts the subscriptions' secrets, each key encrypted in turn with the
-- deployment's certificate: where every instance of the Orders API and of the dispatcher reads it.
CREATE TABLE data_protection_keys (
  id            INT          NOT NULL AUTO_INCREMENT,
  friendly_name VARCHAR(100) NOT NULL,
  xml           TEXT         NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
