-- packdesk schema version 90: a purchase row remembers when its last request went to Shippo
-- and whether that request may have bought a label (its answer was lost), so that nothing is
-- sent again under the key before Shippo has been asked after a grace period; extra labels
-- Shippo made for a package that has its label are kept with their refund.
ALTER TABLE label_purchases ADD COLUMN sent_at TEXT;
ALTER TABLE label_purchases ADD COLUMN unclear INTEGER NOT NULL DEFAULT 0;

-- A pending row whose last request was not proved harmless may have bought a label.
UPDATE label_purchases SET sent_at = updated_at, unclear = 1
WHERE state = 'PENDING' AND transaction_id = '' AND error != 'not sent';
UPDATE label_purchases SET sent_at = updated_at WHERE state != 'PENDING';

CREATE INDEX label_purchases_sent ON label_purchases (sent_at);

CREATE TABLE label_extras (
    transaction_id  TEXT PRIMARY KEY,
    purchase_key    TEXT NOT NULL REFERENCES label_purchases (key),
    order_id        TEXT NOT NULL,
    package_no      INTEGER NOT NULL,
    tracking_number TEXT NOT NULL DEFAULT '',
    found_at        TEXT NOT NULL,
    refund_id       TEXT NOT NULL DEFAULT '',
    refunded_at     TEXT,
    error           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX label_extras_order ON label_extras (order_id);
