-- packdesk schema version 1: the local copy of Shopify and the station's own records.
CREATE TABLE locations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    code        TEXT NOT NULL,
    is_shopify  INTEGER NOT NULL DEFAULT 1,
    active      INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT
);

CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    vendor      TEXT NOT NULL DEFAULT '',
    product_type TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'ACTIVE',
    updated_at  TEXT
);

CREATE TABLE variants (
    id                TEXT PRIMARY KEY,
    product_id        TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    sku               TEXT NOT NULL DEFAULT '',
    barcode           TEXT NOT NULL DEFAULT '',
    inventory_item_id TEXT NOT NULL DEFAULT '',
    price             TEXT NOT NULL DEFAULT '0',
    weight_g          REAL NOT NULL DEFAULT 0,
    length_cm         REAL NOT NULL DEFAULT 0,
    width_cm          REAL NOT NULL DEFAULT 0,
    height_cm         REAL NOT NULL DEFAULT 0,
    updated_at        TEXT
);
CREATE INDEX variants_barcode ON variants (barcode) WHERE barcode != '';
CREATE INDEX variants_sku ON variants (sku) WHERE sku != '';
CREATE INDEX variants_product ON variants (product_id);

CREATE TABLE inventory_levels (
    inventory_item_id TEXT NOT NULL,
    location_id       TEXT NOT NULL,
    available         INTEGER NOT NULL,
    on_hand           INTEGER NOT NULL,
    updated_at        TEXT,
    PRIMARY KEY (inventory_item_id, location_id)
);

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    cancelled_at       TEXT,
    cancel_reason      TEXT NOT NULL DEFAULT '',
    closed_at          TEXT,
    financial_status   TEXT NOT NULL DEFAULT '',
    fulfillment_status TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    customer           TEXT NOT NULL DEFAULT '{}',   -- JSON Customer
    shipping_address   TEXT,                         -- JSON Address
    shipping_lines     TEXT NOT NULL DEFAULT '[]',   -- JSON [ShippingLine]
    note               TEXT NOT NULL DEFAULT '',
    tags               TEXT NOT NULL DEFAULT '[]',   -- JSON [str]
    total_price        TEXT NOT NULL DEFAULT '0',
    currency           TEXT NOT NULL DEFAULT 'USD'
);
CREATE UNIQUE INDEX orders_name ON orders (name);
CREATE INDEX orders_updated ON orders (updated_at);

CREATE TABLE line_items (
    id                TEXT PRIMARY KEY,
    order_id          TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL DEFAULT 0,
    variant_id        TEXT NOT NULL DEFAULT '',
    sku               TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL,
    variant_title     TEXT NOT NULL DEFAULT '',
    quantity          INTEGER NOT NULL,
    requires_shipping INTEGER NOT NULL DEFAULT 1,
    price             TEXT NOT NULL DEFAULT '0'
);
CREATE INDEX line_items_order ON line_items (order_id);

CREATE TABLE fulfillment_orders (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    location_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    updated_at  TEXT
);
CREATE INDEX fulfillment_orders_order ON fulfillment_orders (order_id);

CREATE TABLE fulfillment_order_lines (
    id                   TEXT PRIMARY KEY,
    fulfillment_order_id TEXT NOT NULL REFERENCES fulfillment_orders (id) ON DELETE CASCADE,
    line_item_id         TEXT NOT NULL,
    total_quantity       INTEGER NOT NULL,
    remaining_quantity   INTEGER NOT NULL
);
CREATE INDEX fulfillment_order_lines_fo ON fulfillment_order_lines (fulfillment_order_id);

-- The station's own view of each order: state, why, and where a held order returns to.
CREATE TABLE station_orders (
    order_id    TEXT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    held_from   TEXT,
    reason      TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);
CREATE INDEX station_orders_state ON station_orders (state);

-- Audit log: one row per transition, written in the transition's transaction.
CREATE TABLE order_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    TEXT NOT NULL,
    at          TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Packages of an order: the box chosen (or overridden) and its weight.
CREATE TABLE packages (
    order_id    TEXT NOT NULL,
    package_no  INTEGER NOT NULL,
    box         TEXT NOT NULL,
    length_cm   REAL NOT NULL,
    width_cm    REAL NOT NULL,
    height_cm   REAL NOT NULL,
    weight_g    REAL NOT NULL,
    weight_overridden INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, package_no)
);

CREATE TABLE rates (
    id             TEXT PRIMARY KEY,
    order_id       TEXT NOT NULL,
    package_no     INTEGER NOT NULL DEFAULT 1,
    shipment_id    TEXT NOT NULL,
    carrier        TEXT NOT NULL,
    service_token  TEXT NOT NULL,
    service_name   TEXT NOT NULL,
    amount         TEXT NOT NULL,
    currency       TEXT NOT NULL DEFAULT 'USD',
    estimated_days INTEGER,
    attributes     TEXT NOT NULL DEFAULT '[]',
    fetched_at     TEXT NOT NULL,
    chosen         INTEGER NOT NULL DEFAULT 0,
    reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rates_order ON rates (order_id, package_no);

-- Label purchases by the exactly-once protocol: the row exists before Shippo is called.
CREATE TABLE label_purchases (
    key             TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL,
    package_no      INTEGER NOT NULL,
    attempt         INTEGER NOT NULL,
    state           TEXT NOT NULL,
    rate_id         TEXT NOT NULL DEFAULT '',
    transaction_id  TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    tracking_url    TEXT NOT NULL DEFAULT '',
    carrier         TEXT NOT NULL DEFAULT '',
    service_name    TEXT NOT NULL DEFAULT '',
    label_format    TEXT NOT NULL DEFAULT '',
    label_url       TEXT NOT NULL DEFAULT '',
    cost            TEXT NOT NULL DEFAULT '0',
    fee             TEXT NOT NULL DEFAULT '0',
    currency        TEXT NOT NULL DEFAULT 'USD',
    error           TEXT NOT NULL DEFAULT '',
    void_reason     TEXT NOT NULL DEFAULT '',
    refund_id       TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (order_id, package_no, attempt)
);
CREATE INDEX label_purchases_state ON label_purchases (state);

-- The label file itself, so that reprints need no network.
CREATE TABLE labels (
    purchase_key TEXT PRIMARY KEY REFERENCES label_purchases (key),
    format       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE print_jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    printer         TEXT NOT NULL,
    role            TEXT NOT NULL,
    order_id        TEXT NOT NULL DEFAULT '',
    document        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    data            BLOB NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT,
    printed_at      TEXT
);
CREATE INDEX print_jobs_queue ON print_jobs (state, next_attempt_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    dedupe_key      TEXT NOT NULL UNIQUE,
    order_id        TEXT NOT NULL DEFAULT '',
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    delivered_at    TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE sync_state (
    resource        TEXT PRIMARY KEY,
    cursor          TEXT NOT NULL DEFAULT '',
    page_cursor     TEXT NOT NULL DEFAULT '',
    last_success_at TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    last_error_at   TEXT,
    last_count      INTEGER NOT NULL DEFAULT 0
);
