# Sourced by the MySQL image's entrypoint after db-init's scripts, on the first start of an empty data volume only.
# Each API gets its own user with rights on its own database only: a leaked Customers API password reads no order.
# The passwords come from the compose file's environment (hex or alphanumeric: they are quoted, not escaped, below).
docker_process_sql <<SQL
CREATE USER 'customers_api'@'%' IDENTIFIED BY '${CUSTOMERS_DB_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE ON customersdb.* TO 'customers_api'@'%';
CREATE USER 'orders_api'@'%' IDENTIFIED BY '${ORDERS_DB_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE ON ordersdb.* TO 'orders_api'@'%';
SQL
