-- packdesk schema version 151: a daily picture of stock and its cost, per inventory item and
-- location, for the average inventory value behind turnover and days of inventory. The
-- picture of a day is taken again during the day (an upsert); the last one stands.
CREATE TABLE stock_snapshots (
    day               TEXT NOT NULL,   -- YYYY-MM-DD in [analytics].timezone
    inventory_item_id TEXT NOT NULL,
    location_id       TEXT NOT NULL,
    on_hand           INTEGER NOT NULL,
    available         INTEGER NOT NULL,
    unit_cost         TEXT,            -- NULL while the cost is unknown
    taken_at          TEXT NOT NULL,
    PRIMARY KEY (day, inventory_item_id, location_id)
);
