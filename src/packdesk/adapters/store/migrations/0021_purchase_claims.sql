-- packdesk schema version 21: a purchase row is claimed by the process working on it, so
-- that two processes on one database (the TUI and `packdesk daemon`) never send the same
-- purchase at once. A claim expires, so a crashed process blocks nothing for long.
ALTER TABLE label_purchases ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE label_purchases ADD COLUMN claimed_until TEXT;
