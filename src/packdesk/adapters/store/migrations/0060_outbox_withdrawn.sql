-- packdesk schema version 60: an outbox row whose cause was undone (its label was voided) is
-- withdrawn: DEAD for good, never revived by a retry.
ALTER TABLE outbox ADD COLUMN withdrawn_at TEXT;

UPDATE outbox SET withdrawn_at = (
    SELECT p.updated_at FROM label_purchases p
    WHERE p.state = 'VOIDED' AND outbox.dedupe_key = 'fulfillment:' || p.key
)
WHERE state = 'DEAD' AND kind = 'fulfillment' AND EXISTS (
    SELECT 1 FROM label_purchases p
    WHERE p.state = 'VOIDED' AND outbox.dedupe_key = 'fulfillment:' || p.key
);
