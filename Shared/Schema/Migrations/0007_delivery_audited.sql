-- A delivery is marked delivered the moment its receiver accepts it (one autocommit UPDATE, so
-- that a crash right after the SMTP 250 or the webhook 2xx does not send it again), and its
-- `notified` audit event is appended afterwards, with the completion of its job. `audited_at`
-- says that second step happened: a retry that finds a delivery delivered but not audited appends
-- the event (once) and completes, without sending again.
ALTER TABLE deliveries ADD COLUMN audited_at timestamptz;

-- Deliveries delivered before this migration got their audit event in the same transaction.
UPDATE deliveries SET audited_at = coalesce(delivered_at, now()) WHERE status = 'delivered';

ALTER TABLE deliveries ADD CONSTRAINT deliveries_audited_only_when_delivered
    CHECK (audited_at IS NULL OR status = 'delivered');
