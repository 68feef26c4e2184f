-- packdesk schema version 85: webhook deliveries are deduplicated by their webhook id
-- (X-Shopify-Webhook-Id, one per delivery and the same on Shopify's retries), not by the
-- event id every topic of one merchant action shares; a stock delivery keeps its location.
ALTER TABLE webhook_events RENAME COLUMN event_id TO webhook_id;
ALTER TABLE webhook_events ADD COLUMN event_id TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_events ADD COLUMN location_id TEXT NOT NULL DEFAULT '';
