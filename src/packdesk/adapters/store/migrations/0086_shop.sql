-- packdesk schema version 86: the shop's own name and domain as Shopify gives them, the
-- name slips and e-mails carry unless [brand].shop_name says otherwise.
CREATE TABLE shop (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    domain     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
