-- The Customers API database as the re-runnable scripts made it before versioned migrations (kept for the upgrade test).
-- Customers API database. Safe to run any number of times; valid on MySQL 8/9 and MariaDB 10.11.
-- Timestamps are DATETIME(3) in UTC, written by the service.
CREATE DATABASE IF NOT EXISTS customersdb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE customersdb;

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

-- A data folder made before rows counted their changes gets the column (MySQL has no ADD COLUMN IF NOT EXISTS).
SET @ddl = IF(EXISTS (SELECT 1 FROM information_schema.columns
                      WHERE table_schema = DATABASE() AND table_name = 'customers' AND column_name = 'version'),
              'DO 0', 'ALTER TABLE customers ADD COLUMN version BIGINT NOT NULL DEFAULT 1');
PREPARE add_version FROM @ddl;
EXECUTE add_version;
DEALLOCATE PREPARE add_version;

INSERT INTO customers (id, name, email, phone, created_at, updated_at)
VALUES (1, 'ACME Corp', 'ops@acme.com', '+1234567890', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
ON DUPLICATE KEY UPDATE id = id;
