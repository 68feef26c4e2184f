-- packdesk schema version 91: each variant's customs information from Shopify (the HS code
-- and country of origin on its product page), declared for a line that has no entry in
-- [shipping.customs]. The variants are read again in full at the next catalog sync, so that
-- those synced before carry it too.
ALTER TABLE variants ADD COLUMN hs_code TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN origin_country TEXT NOT NULL DEFAULT '';
UPDATE sync_state SET cursor = '', page_cursor = '' WHERE resource = 'variants';
