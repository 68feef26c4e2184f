-- packdesk schema version 20: shipping extras.
-- The last address check of each order, so the queue shows the carrier's words.
CREATE TABLE address_checks (
    order_id    TEXT PRIMARY KEY,
    valid       INTEGER NOT NULL,
    messages    TEXT NOT NULL DEFAULT '[]',   -- JSON [str]
    checked_at  TEXT NOT NULL
);
-- Pending purchases are looked up by state on every start and retry.
CREATE INDEX label_purchases_order ON label_purchases (order_id, package_no, attempt);
