-- Outbox claims: a worker leases the rows it delivers so that a second worker (or a second
-- process) never picks them up at the same time; a lease that runs out (the worker died)
-- makes the row claimable again. SKIPPED rows are emails the policy chose not to send.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_order ON outbox (order_id);

-- Orders whose after-delivery emails (usage guides, review request) have been scheduled,
-- so that they are scheduled once however often the planner runs.
CREATE TABLE outbox_followups (
    order_id      TEXT PRIMARY KEY,
    delivered_at  TEXT NOT NULL,
    scheduled_at  TEXT NOT NULL
);
