-- packdesk schema version 3: the ship-from address of each location (JSON Address).
ALTER TABLE locations ADD COLUMN address TEXT;
