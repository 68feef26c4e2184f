-- packdesk schema version 2: pack scans survive a restart, webhook deliveries are
-- deduplicated, warehouse bins, email suppressions, and purchase orders for restocking.
CREATE TABLE pack_scans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     TEXT NOT NULL,
    line_item_id TEXT NOT NULL,
    code         TEXT NOT NULL,
    quantity     INTEGER NOT NULL DEFAULT 1,
    at           TEXT NOT NULL
);
CREATE INDEX pack_scans_order ON pack_scans (order_id, id);

CREATE TABLE webhook_events (
    event_id     TEXT PRIMARY KEY,
    topic        TEXT NOT NULL,
    shop         TEXT NOT NULL,
    resource_id  TEXT NOT NULL DEFAULT '',
    payload      TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    processed_at TEXT,
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_events_pending ON webhook_events (processed_at);

ALTER TABLE variants ADD COLUMN bin TEXT NOT NULL DEFAULT '';

CREATE TABLE email_suppressions (
    email      TEXT PRIMARY KEY COLLATE NOCASE,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE purchase_orders (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    supplier      TEXT NOT NULL,
    location_code TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'DRAFT',
    created_at    TEXT NOT NULL
);

CREATE TABLE purchase_order_lines (
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    variant_id        TEXT NOT NULL,
    quantity          INTEGER NOT NULL,
    unit_cost         TEXT NOT NULL DEFAULT '0',
    PRIMARY KEY (purchase_order_id, variant_id)
);
