-- packdesk schema version 50: indexes the packing queue needs to stay fast with 100,000 orders.
-- Open orders not yet at the station are found through this partial index, so the queue
-- query never walks the shipped history.
CREATE INDEX IF NOT EXISTS orders_open ON orders (created_at)
    WHERE cancelled_at IS NULL AND closed_at IS NULL
      AND fulfillment_status NOT IN ('FULFILLED', 'fulfilled', 'RESTOCKED', 'restocked');
CREATE INDEX IF NOT EXISTS line_items_sku ON line_items (sku) WHERE sku != '';
CREATE INDEX IF NOT EXISTS print_jobs_order ON print_jobs (order_id);
