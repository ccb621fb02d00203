-- The Customers API's schema as the re-runnable scripts before migrations left it, and the sample data. Every
-- statement may meet what those scripts made already (IF NOT EXISTS, an upsert): a database they created is taken over
-- by running this as it is, one created now gets it whole. MySQL 8/9 and MariaDB 10.11; DATETIME(3) in UTC.

CREATE TABLE IF NOT EXISTS customers (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  name        VARCHAR(200) NOT NULL,
  email       VARCHAR(254) NOT NULL,
  phone       VARCHAR(32)  NULL,
  created_at  DATETIME(3)  NOT NULL,
  updated_at  DATETIME(3)  NOT NULL,
  deleted_at  DATETIME(3)  NULL,
  -- Counts the row's changes: its ETag, and what If-Match compares (a stale one changes nothing).
  version     BIGINT       NOT NULL DEFAULT 1,
  -- The e-mail of a live customer, lower-cased; NULL once deleted, so a deleted customer's address can be
  -- registered again while two live customers can never share one, whatever the concurrency.
  active_email VARCHAR(254) COLLATE utf8mb4_bin AS (IF(deleted_at IS NULL, LOWER(email), NULL)) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY ux_customers_active_email (active_email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO customers (id, name, email, phone, created_at, updated_at)
VALUES (1, 'ACME Corp', 'ops@acme.com', '+1234567890', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
ON DUPLICATE KEY UPDATE id = id;
