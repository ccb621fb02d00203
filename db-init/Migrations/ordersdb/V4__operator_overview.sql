-- The operators' overview (GET /overview, the console's home page, read every few seconds): the products lowest on
-- stock, found without reading every product.
CREATE INDEX ix_products_stock ON products (stock, id);
