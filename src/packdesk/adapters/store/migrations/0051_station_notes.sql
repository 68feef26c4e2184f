-- packdesk schema version 51: notes a packer adds to an order at the station (F6).
CREATE TABLE station_notes (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    text     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS station_notes_order ON station_notes (order_id, id);
