-- The Orders API database as the re-runnable scripts made it before versioned migrations (kept for the upgrade test).
-- Orders API database. Safe to run any number of times; valid on MySQL 8/9 and MariaDB 10.11.
-- Money is BIGINT cents; timestamps are DATETIME(3) in UTC, written by the service.
CREATE DATABASE IF NOT EXISTS ordersdb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE ordersdb;

CREATE TABLE IF NOT EXISTS products (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  sku          VARCHAR(64)  NOT NULL,
  name         VARCHAR(200) NOT NULL,
  price_cents  BIGINT       NOT NULL,
  stock        BIGINT       NOT NULL,
  created_at   DATETIME(3)  NOT NULL,
  updated_at   DATETIME(3)  NOT NULL,
  -- Counts the row's changes (stock moved by orders included): its ETag, and what If-Match compares.
  version      BIGINT       NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY ux_products_sku (sku),
  -- The last line of defence: whatever the code does, stock never goes negative.
  CONSTRAINT ck_products_stock CHECK (stock >= 0),
  CONSTRAINT ck_products_price CHECK (price_cents > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A data folder made before rows counted their changes gets the column (MySQL has no ADD COLUMN IF NOT EXISTS).
SET @ddl = IF(EXISTS (SELECT 1 FROM information_schema.columns
                      WHERE table_schema = DATABASE() AND table_name = 'products' AND column_name = 'version'),
              'DO 0', 'ALTER TABLE products ADD COLUMN version BIGINT NOT NULL DEFAULT 1');
PREPARE add_version FROM @ddl;
EXECUTE add_version;
DEALLOCATE PREPARE add_version;

CREATE TABLE IF NOT EXISTS orders (
  id            BIGINT      NOT NULL AUTO_INCREMENT,
  customer_id   BIGINT      NOT NULL, -- lives in customersdb: checked through the Customers API, no foreign key
  status        VARCHAR(16) NOT NULL,
  total_cents   BIGINT      NOT NULL,
  created_at    DATETIME(3) NOT NULL,
  confirmed_at  DATETIME(3) NULL,
  canceled_at   DATETIME(3) NULL,
  PRIMARY KEY (id),
  KEY ix_orders_customer (customer_id, id),
  KEY ix_orders_status (status, id),
  KEY ix_orders_created (created_at, id),
  CONSTRAINT ck_orders_status CHECK (status IN ('CREATED', 'CONFIRMED', 'CANCELED')),
  CONSTRAINT ck_orders_total CHECK (total_cents >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS order_items (
  order_id          BIGINT       NOT NULL,
  product_id        BIGINT       NOT NULL,
  -- Snapshots taken at order time: a later PATCH of the product does not rewrite history.
  sku               VARCHAR(64)  NOT NULL,
  name              VARCHAR(200) NOT NULL,
  qty               BIGINT       NOT NULL,
  unit_price_cents  BIGINT       NOT NULL,
  subtotal_cents    BIGINT       NOT NULL,
  PRIMARY KEY (order_id, product_id),
  KEY ix_order_items_product (product_id),
  CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT fk_order_items_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT ck_order_items_qty CHECK (qty > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Idempotency-Key records (README, "Idempotency-Key"). A row is written in the same transaction as the change it
-- guards, so a change never exists without its key nor a key without its change.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  operation     VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  idem_key      VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  fingerprint   BINARY(32)   NOT NULL,
  status_code   INT          NOT NULL,
  response_body MEDIUMTEXT   NOT NULL,
  created_at    DATETIME(3)  NOT NULL,
  expires_at    DATETIME(3)  NOT NULL,
  PRIMARY KEY (operation, idem_key),
  KEY ix_idempotency_keys_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Order events: the transactional outbox. Each change of an order writes its event here in the transaction that makes
-- the change, so no change lacks its event and no event lacks its change. The dispatcher fans an event out into one
-- delivery per matching subscription (fanned_out), and delivers those.
CREATE TABLE IF NOT EXISTS order_events (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  order_id     BIGINT       NOT NULL,
  customer_id  BIGINT       NOT NULL,
  type         VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  payload      MEDIUMTEXT   NOT NULL, -- the webhook body, signed and sent as it is: {"type", "timestamp", "data"}
  occurred_at  DATETIME(3)  NOT NULL,
  traceparent  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL, -- the change's trace, which the delivery joins
  fanned_out   BOOLEAN      NOT NULL DEFAULT FALSE,
  PRIMARY KEY (id),
  KEY ix_order_events_pending (fanned_out, id),
  KEY ix_order_events_order (order_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Webhook subscriptions: a URL, the event types it wants, and the customer it wants them for (NULL: every customer,
-- for operators only). The secret signs every delivery; it is shown once, when the subscription is made.
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  url          VARCHAR(2048) NOT NULL,
  events       VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL, -- comma-separated event types
  customer_id  BIGINT        NULL,
  secret       VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at   DATETIME(3)   NOT NULL,
  disabled_at  DATETIME(3)   NULL, -- the receiver answered 410 Gone
  PRIMARY KEY (id),
  KEY ix_webhook_subscriptions_customer (customer_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One event for one subscription: delivered at least once, in order per order (an order's event waits until its
-- predecessors are delivered or given up), retried with backoff until give_up_at. A dispatcher claims a delivery by a
-- lease (claimed_until), so any number of dispatchers run at once and one killed mid-delivery loses nothing.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id               BIGINT       NOT NULL AUTO_INCREMENT,
  subscription_id  BIGINT       NOT NULL,
  event_id         BIGINT       NOT NULL,
  order_id         BIGINT       NOT NULL,
  status           VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL, -- pending, delivered, failed
  attempts         INT          NOT NULL DEFAULT 0,
  next_attempt_at  DATETIME(3)  NOT NULL,
  give_up_at       DATETIME(3)  NOT NULL,
  claimed_until    DATETIME(3)  NULL,
  claimed_by       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL,
  last_status_code INT          NULL,
  last_error       VARCHAR(500) NULL,
  created_at       DATETIME(3)  NOT NULL,
  delivered_at     DATETIME(3)  NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ux_webhook_deliveries_event (subscription_id, event_id),
  KEY ix_webhook_deliveries_due (status, next_attempt_at),
  KEY ix_webhook_deliveries_order (subscription_id, order_id, event_id),
  CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO products (id, sku, name, price_cents, stock, created_at, updated_at)
VALUES (1, 'LAPTOP-001', 'Laptop', 150000, 10, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
       (2, 'MOUSE-001', 'Mouse', 5000, 50, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
ON DUPLICATE KEY UPDATE id = id;
