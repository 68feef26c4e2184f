-- packdesk schema version 120: stock across CA, PA and Amazon FBA, low-stock alerts,
-- suppliers, purchase orders with their receipts, and cycle counts.

-- Shopify's committed and incoming quantities beside available and on hand.
ALTER TABLE inventory_levels ADD COLUMN committed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inventory_levels ADD COLUMN incoming INTEGER NOT NULL DEFAULT 0;

-- What packdesk saw of each level, one row per day with a change: the lowest and the last
-- available that day. A day without a row carries the row before it forward; velocity
-- leaves out the days a level was out of stock.
CREATE TABLE stock_days (
    inventory_item_id TEXT NOT NULL,
    location_id       TEXT NOT NULL,
    day               TEXT NOT NULL,
    min_available     INTEGER NOT NULL,
    last_available    INTEGER NOT NULL,
    PRIMARY KEY (inventory_item_id, location_id, day)
);

-- FBA stock: each report or SP-API read is one import, stored whole, its SKUs matched to
-- variants (variant_id '' when none has the SKU). Quantities are NULL where Amazon did not say.
CREATE TABLE fba_imports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source          TEXT NOT NULL,
    name            TEXT NOT NULL,
    as_of           TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    row_count       INTEGER NOT NULL,
    matched         INTEGER NOT NULL,
    unmatched       TEXT NOT NULL DEFAULT '[]',   -- JSON [sku]
    ignored_columns TEXT NOT NULL DEFAULT '[]',   -- JSON [name]
    missing_columns TEXT NOT NULL DEFAULT '[]'    -- JSON [name]
);
CREATE INDEX fba_imports_as_of ON fba_imports (as_of);

CREATE TABLE fba_stock (
    import_id         INTEGER NOT NULL REFERENCES fba_imports (id) ON DELETE CASCADE,
    sku               TEXT NOT NULL,
    variant_id        TEXT NOT NULL DEFAULT '',
    fnsku             TEXT NOT NULL DEFAULT '',
    asin              TEXT NOT NULL DEFAULT '',
    product_name      TEXT NOT NULL DEFAULT '',
    condition         TEXT NOT NULL DEFAULT '',
    price             TEXT,
    fulfillable       INTEGER,
    unsellable        INTEGER,
    reserved          INTEGER,
    warehouse         INTEGER,
    total             INTEGER,
    inbound_working   INTEGER,
    inbound_shipped   INTEGER,
    inbound_receiving INTEGER,
    researching       INTEGER,
    PRIMARY KEY (import_id, sku)
);
CREATE INDEX fba_stock_variant ON fba_stock (variant_id, import_id);

-- Low-stock alerts: one row per crossing below the reorder point; open while cleared_at is
-- NULL, and carried by at most one owner's digest.
CREATE TABLE stock_alerts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    variant_id    TEXT NOT NULL,
    location_code TEXT NOT NULL,
    raised_at     TEXT NOT NULL,
    available     INTEGER NOT NULL,
    reorder_point REAL NOT NULL,
    cleared_at    TEXT,
    digested_at   TEXT
);
CREATE UNIQUE INDEX stock_alerts_open ON stock_alerts (variant_id, location_code)
    WHERE cleared_at IS NULL;

CREATE TABLE stock_snoozes (
    variant_id TEXT PRIMARY KEY,
    until      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- The purchase order tables of schema version 2 were never written; they are replaced by
-- ones with suppliers, statuses and receipts.
DROP TABLE purchase_order_lines;
DROP TABLE purchase_orders;

CREATE TABLE suppliers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    lead_time_days INTEGER NOT NULL DEFAULT 14,
    currency       TEXT NOT NULL DEFAULT 'USD',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX suppliers_name ON suppliers (lower(name));

-- What a supplier sells of a variant; a variant is bought from one supplier.
CREATE TABLE supplier_items (
    variant_id     TEXT PRIMARY KEY,
    supplier_id    INTEGER NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
    case_pack      INTEGER NOT NULL DEFAULT 1,
    min_order      INTEGER NOT NULL DEFAULT 0,
    unit_cost      TEXT NOT NULL DEFAULT '0',
    lead_time_days INTEGER
);
CREATE INDEX supplier_items_supplier ON supplier_items (supplier_id);

CREATE TABLE purchase_orders (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    supplier_id   INTEGER NOT NULL REFERENCES suppliers (id),
    location_code TEXT NOT NULL,
    location_id   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    currency      TEXT NOT NULL DEFAULT 'USD',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    ordered_at    TEXT,
    expected_on   TEXT,
    closed_at     TEXT,
    updated_at    TEXT NOT NULL
);
CREATE INDEX purchase_orders_status ON purchase_orders (status);

CREATE TABLE purchase_order_lines (
    po_id             INTEGER NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL DEFAULT 0,
    variant_id        TEXT NOT NULL,
    inventory_item_id TEXT NOT NULL DEFAULT '',
    sku               TEXT NOT NULL DEFAULT '',
    barcode           TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL DEFAULT '',
    quantity          INTEGER NOT NULL,
    unit_cost         TEXT NOT NULL DEFAULT '0',
    received          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (po_id, variant_id)
);

-- A receipt: the units of one PO scanned at the station, OPEN while scanning (it survives a
-- restart) and DONE once finished, when its quantities are added to the PO's lines.
CREATE TABLE receipts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    po_id       INTEGER NOT NULL REFERENCES purchase_orders (id),
    state       TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    started_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE UNIQUE INDEX receipts_open ON receipts (po_id) WHERE state = 'OPEN';

CREATE TABLE receipt_lines (
    receipt_id INTEGER NOT NULL REFERENCES receipts (id) ON DELETE CASCADE,
    variant_id TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    PRIMARY KEY (receipt_id, variant_id)
);

-- Cycle counts: a shelf counted by scan; each line keeps the quantity Shopify held when its
-- item was first scanned, which the count is compared with when it is set in Shopify.
CREATE TABLE stock_counts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    started_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE UNIQUE INDEX stock_counts_open ON stock_counts (location_id) WHERE state = 'OPEN';

CREATE TABLE stock_count_lines (
    count_id          INTEGER NOT NULL REFERENCES stock_counts (id) ON DELETE CASCADE,
    variant_id        TEXT NOT NULL,
    inventory_item_id TEXT NOT NULL,
    sku               TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL DEFAULT '',
    expected          INTEGER,
    counted           INTEGER NOT NULL,
    PRIMARY KEY (count_id, variant_id)
);

-- Sales by day read orders by the day they were placed, and each line's fulfillment orders.
CREATE INDEX IF NOT EXISTS orders_created ON orders (created_at);
CREATE INDEX IF NOT EXISTS line_items_variant ON line_items (variant_id) WHERE variant_id != '';
CREATE INDEX IF NOT EXISTS fulfillment_order_lines_line ON fulfillment_order_lines (line_item_id);
