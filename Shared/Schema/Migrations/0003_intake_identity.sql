-- What the intake API needs beyond 0002: the tenants' identity settings (who may sign the
-- acting-user tokens), unique API key names, and the API role's access to them.

-- How a tenant's identity provider signs acting-user tokens (JWT, `sub` = email). At least one
-- key: an HS256 shared secret, PEM public keys (RS256 or ES256), or a JWKS document.
CREATE TABLE tenant_identity (
    tenant_id        text PRIMARY KEY REFERENCES tenants (id),
    issuer           text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
    audience         text CHECK (audience IS NULL OR length(audience) BETWEEN 1 AND 500),
    hs256_secret     text CHECK (hs256_secret IS NULL OR length(hs256_secret) >= 32),
    public_keys_pem  text[] NOT NULL DEFAULT '{}',
    jwks             jsonb,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (hs256_secret IS NOT NULL OR cardinality(public_keys_pem) > 0 OR jwks IS NOT NULL)
);

-- An API key's name is a label people use to tell keys apart: unique among a tenant's live keys.
CREATE UNIQUE INDEX api_keys_tenant_name ON api_keys (tenant_id, name) WHERE revoked_at IS NULL;

-- Idempotency records are found per tenant and pruned by age.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Delegations are listed newest first per tenant.
CREATE INDEX delegations_tenant_created ON delegations (tenant_id, created_at DESC, id DESC);

GRANT SELECT ON tenant_identity TO fwa_api;
ALTER TABLE tenant_identity ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_identity TO fwa_api USING (tenant_id = current_setting('fwa.tenant_id', true));
