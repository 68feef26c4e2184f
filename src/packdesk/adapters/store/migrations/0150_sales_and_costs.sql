-- packdesk schema version 150: what analytics needs of Shopify's money and costs.
-- An order's sales breakdown in shop money, as Shopify gives it: the subtotal after
-- discounts (subtotalPriceSet), the same after returns and removals
-- (currentSubtotalPriceSet), the order's discounts, taxes and shipping charged. NULL means
-- the order was stored before packdesk read them: analytics counts such orders apart and
-- says so, and the sync below reads every order again to fill them in.
ALTER TABLE orders ADD COLUMN subtotal_price TEXT;
ALTER TABLE orders ADD COLUMN current_subtotal_price TEXT;
ALTER TABLE orders ADD COLUMN total_discounts TEXT;
ALTER TABLE orders ADD COLUMN total_tax TEXT;
ALTER TABLE orders ADD COLUMN total_shipping TEXT;
-- The currency the customer paid in (presentmentCurrencyCode); amounts stay shop money.
ALTER TABLE orders ADD COLUMN presentment_currency TEXT NOT NULL DEFAULT '';
-- Who ordered, as one key (Shopify's customer id, else the e-mail address in lower case,
-- else empty for a guest without either), and the shipping service the customer chose.
ALTER TABLE orders ADD COLUMN customer_key TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN shipping_title TEXT NOT NULL DEFAULT '';
UPDATE orders SET
    customer_key = COALESCE(
        NULLIF(json_extract(customer, '$.id'), ''),
        NULLIF(lower(trim(email)), ''),
        lower(trim(COALESCE(json_extract(customer, '$.email'), '')))
    ),
    shipping_title = COALESCE(json_extract(shipping_lines, '$[0].title'), '');
CREATE INDEX IF NOT EXISTS orders_created ON orders (created_at);
CREATE INDEX IF NOT EXISTS orders_currency_created ON orders (currency, created_at);
CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_key, created_at);
CREATE INDEX IF NOT EXISTS line_items_variant ON line_items (variant_id);

-- What one unit of a variant costs the merchant (InventoryItem.unitCost); NULL is unknown.
ALTER TABLE variants ADD COLUMN unit_cost TEXT;
ALTER TABLE variants ADD COLUMN cost_currency TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS variants_inventory_item ON variants (inventory_item_id);

-- The carrier's zone of each rate (Shippo's `zone`: "1".."8", "INTL", or empty).
ALTER TABLE rates ADD COLUMN zone TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS label_purchases_created ON label_purchases (created_at);

-- Read orders and variants again from the start, so that those stored before this version
-- get their sales breakdown and unit cost (each page is an upsert; nothing else changes).
UPDATE sync_state SET cursor = '', page_cursor = '' WHERE resource IN ('orders', 'variants');
