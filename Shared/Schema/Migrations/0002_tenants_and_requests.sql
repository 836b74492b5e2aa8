-- Tenants, their immutable policy versions, and everything a request accumulates.

CREATE TABLE tenants (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name            text NOT NULL,
    active_version  integer,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A policy version never changes once written; a request records the version it was routed under.
CREATE TABLE tenant_versions (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    version     integer NOT NULL CHECK (version > 0),
    policy      jsonb NOT NULL,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source      text NOT NULL DEFAULT '',
    created_by  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, version)
);
ALTER TABLE tenants ADD FOREIGN KEY (id, active_version) REFERENCES tenant_versions (tenant_id, version) DEFERRABLE INITIALLY DEFERRED;

-- Tenant API keys: the secret is shown once; only its SHA-256 is kept.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    secret_hash  text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    scopes       text[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE requests (
    id                  uuid PRIMARY KEY,
    tenant_id           text NOT NULL REFERENCES tenants (id),
    policy_version      integer NOT NULL,
    status              text NOT NULL CHECK (status IN ('submitted', 'routing', 'pending_approval', 'approved', 'active',
                                                        'denied', 'withdrawn', 'terminated', 'expired', 'rejected')),
    arrangement_type    text NOT NULL,
    employee_email      text NOT NULL,
    supervisor_email    text NOT NULL,
    start_date          date NOT NULL,
    end_date            date CHECK (end_date IS NULL OR end_date >= start_date),
    location_country    text,
    location_region     text,
    input               jsonb NOT NULL,
    evaluation          jsonb NOT NULL,
    decision_reason     text,
    effective_end_date  date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, policy_version) REFERENCES tenant_versions (tenant_id, version)
);
CREATE INDEX requests_tenant_created ON requests (tenant_id, created_at DESC, id DESC);
CREATE INDEX requests_employee ON requests (tenant_id, employee_email);

-- The approval chain of one request, resolved when it was routed.
CREATE TABLE request_steps (
    request_id             uuid NOT NULL REFERENCES requests (id),
    idx                    integer NOT NULL CHECK (idx >= 0),
    tenant_id              text NOT NULL REFERENCES tenants (id),
    step_id                text NOT NULL,
    role                   text NOT NULL,
    approver_email         text NOT NULL,
    acting_approver_email  text,
    status                 text NOT NULL CHECK (status IN ('pending', 'open', 'approved', 'denied', 'skipped', 'cancelled')),
    sla_business_days      integer,
    due_date               date,
    escalation_role        text,
    escalation_email       text,
    delegable              boolean NOT NULL DEFAULT false,
    delegable_to           text[] NOT NULL DEFAULT '{}',
    added_by               text,
    opened_at              timestamptz,
    decided_at             timestamptz,
    decision               text CHECK (decision IN ('approve', 'deny')),
    reason                 text,
    PRIMARY KEY (request_id, idx),
    CHECK ((status IN ('approved', 'denied')) = (decision IS NOT NULL))
);
CREATE INDEX request_steps_approver ON request_steps (tenant_id, approver_email) WHERE status = 'open';

CREATE TABLE delegations (
    id               uuid PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    role             text NOT NULL,
    delegator_email  text NOT NULL,
    delegate_email   text NOT NULL CHECK (delegate_email <> delegator_email),
    department       text,
    valid_from       date NOT NULL,
    valid_to         date NOT NULL CHECK (valid_to >= valid_from),
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
CREATE INDEX delegations_lookup ON delegations (tenant_id, delegator_email, role) WHERE revoked_at IS NULL;

CREATE TABLE alerts (
    id               uuid PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    request_id       uuid REFERENCES requests (id),
    rule_id          text NOT NULL,
    kind             text NOT NULL,
    jurisdiction     text,
    from_date        date,
    to_date          date,
    recipients       text[] NOT NULL DEFAULT '{}',
    message          text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    note             text,
    dedupe_key       text NOT NULL,
    UNIQUE (tenant_id, dedupe_key),
    CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL))
);
CREATE INDEX alerts_tenant_status ON alerts (tenant_id, status, created_at DESC);

-- The audit trail: append-only, each event chained to the previous one of its tenant by hash.
CREATE TABLE events (
    tenant_id   text NOT NULL,
    seq         bigint NOT NULL CHECK (seq > 0),
    request_id  uuid,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    before      jsonb,
    after       jsonb,
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX events_request ON events (request_id, seq) WHERE request_id IS NOT NULL;
CREATE FUNCTION fwa_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION fwa_events_append_only();

-- Idempotency-Key: the first answer to a POST, replayed for a retry with the same key.
CREATE TABLE idempotency_keys (
    tenant_id     text NOT NULL,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method        text NOT NULL,
    path          text NOT NULL,
    request_hash  text NOT NULL,
    status        integer,
    headers       jsonb NOT NULL DEFAULT '{}',
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

-- Single-use action links sent to approvers.
CREATE TABLE action_tokens (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants (id),
    request_id      uuid NOT NULL REFERENCES requests (id),
    step_idx        integer NOT NULL,
    approver_email  text NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per message per recipient per event: the delivery log and the no-duplicate guarantee.
CREATE TABLE deliveries (
    id            uuid PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants (id),
    request_id    uuid,
    event_key     text NOT NULL,
    channel       text NOT NULL CHECK (channel IN ('email', 'webhook')),
    recipient     text NOT NULL,
    kind          text NOT NULL,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    message_id    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz,
    UNIQUE (event_key, channel, recipient)
);
CREATE INDEX deliveries_request ON deliveries (request_id);

-- Tenant isolation in the database: the API's role sees only the rows of the tenant named by the
-- transaction-local setting fwa.tenant_id.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fwa_api') THEN
        CREATE ROLE fwa_api NOLOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
END $$;

GRANT SELECT ON tenants, tenant_versions TO fwa_api;
GRANT SELECT, INSERT, UPDATE ON api_keys, requests, request_steps, delegations, alerts, action_tokens, idempotency_keys, deliveries TO fwa_api;
GRANT SELECT, INSERT ON events TO fwa_api;
GRANT SELECT, INSERT, UPDATE ON fwa_jobs TO fwa_api;
GRANT USAGE ON SEQUENCE fwa_jobs_id_seq TO fwa_api;

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE request_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE delegations ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON api_keys TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON requests TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON request_steps TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON delegations TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON alerts TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON events TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON action_tokens TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON idempotency_keys TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON deliveries TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON tenant_versions TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
CREATE POLICY tenant_isolation ON tenants TO fwa_api USING (id = current_setting('fwa.tenant_id', true));
