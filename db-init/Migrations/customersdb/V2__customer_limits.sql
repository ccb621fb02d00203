-- What one customer may hold unconfirmed in the Orders API, when operators set it apart from that API's defaults
-- (NULL: the default): its open CREATED orders, and the units they reserve.
ALTER TABLE customers
  ADD COLUMN limit_open_orders INT NULL,
  ADD COLUMN limit_reserved_units BIGINT NULL;
