-- packdesk schema version 105: the parcels of an order that already left (Shopify's
-- fulfillments) and what each carried, so that a partly shipped order is packed, weighed,
-- declared and described by what remains, and a scan of a shipped item names its parcel.
CREATE TABLE fulfillments (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    location_id TEXT NOT NULL DEFAULT '',
    tracking    TEXT NOT NULL DEFAULT '[]'   -- JSON [TrackingInfo]
);
CREATE INDEX fulfillments_order ON fulfillments (order_id);

CREATE TABLE fulfillment_lines (
    fulfillment_id TEXT NOT NULL REFERENCES fulfillments (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    line_item_id   TEXT NOT NULL,
    quantity       INTEGER NOT NULL,
    PRIMARY KEY (fulfillment_id, position)
);
