-- What the notifier needs beyond 0002: the content of each notified event (so that a delivery
-- job carries only its delivery id), the action link each approver email carries, per-tenant
-- webhook signing secrets, and per-tenant template overrides.

-- One row per business event the notifier was asked to announce; its deliveries (one per channel
-- and recipient) share it by event_key. First writer wins: the same event key is the same event.
CREATE TABLE notification_events (
    event_key   text PRIMARY KEY CHECK (length(event_key) BETWEEN 1 AND 500),
    tenant_id   text NOT NULL REFERENCES tenants (id),
    request_id  uuid,
    kind        text NOT NULL CHECK (kind IN ('step_opened', 'reminder', 'escalation', 'decision', 'alert', 'review_due',
                                              'expiry_notice', 'withdrawn', 'terminated', 'activated', 'expired')),
    data        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_events_request ON notification_events (request_id) WHERE request_id IS NOT NULL;

-- The approve/deny link an approver's email carries: created with the delivery, so a re-sent
-- message carries the same link.
ALTER TABLE deliveries ADD COLUMN action_token_id uuid REFERENCES action_tokens (id);
CREATE INDEX deliveries_event ON deliveries (event_key);
CREATE INDEX deliveries_tenant_status ON deliveries (tenant_id, status, created_at DESC);

-- The key a tenant's webhook receivers verify `X-Flexwork-Signature` with; generated on first use.
CREATE TABLE webhook_secrets (
    tenant_id   text PRIMARY KEY REFERENCES tenants (id),
    secret      text NOT NULL CHECK (length(secret) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A tenant's own wording for one kind of message (Mustache; the data goes in as variables).
CREATE TABLE notification_templates (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    kind        text NOT NULL CHECK (kind IN ('step_opened', 'reminder', 'escalation', 'decision', 'alert', 'review_due',
                                              'expiry_notice', 'withdrawn', 'terminated', 'activated', 'expired')),
    subject     text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    text_body   text NOT NULL CHECK (length(text_body) BETWEEN 1 AND 100000),
    html_body   text NOT NULL CHECK (length(html_body) BETWEEN 1 AND 200000),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind)
);

-- The API role may read what was sent for its tenant; webhook secrets stay with the notifier
-- (RLS on, no grant).
GRANT SELECT ON notification_events, notification_templates TO fwa_api;
ALTER TABLE notification_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_secrets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_events TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON notification_templates TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON webhook_secrets TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
