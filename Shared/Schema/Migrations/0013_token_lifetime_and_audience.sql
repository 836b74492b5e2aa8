-- Acting-user tokens (issue #14, item 7): each tenant bounds how long a token may live
-- (`exp` - `iat`, one hour unless the operator sets otherwise, between a minute and a day), and
-- every tenant's identity settings must name the audience (`aud`) its tokens carry.
--
-- Rows written before this migration may have no audience. No audience can be invented for
-- them, so the constraint is added NOT VALID: it holds for every row written from now on, and
-- the intake refuses every token of a tenant whose settings still lack an audience (fail
-- closed) until the operator sets one with PUT /v1/tenants/{tenant}/identity.

ALTER TABLE tenant_identity
    ADD COLUMN max_token_lifetime_seconds integer NOT NULL DEFAULT 3600
        CHECK (max_token_lifetime_seconds BETWEEN 60 AND 86400);

ALTER TABLE tenant_identity
    ADD CONSTRAINT tenant_identity_audience_required CHECK (audience IS NOT NULL) NOT VALID;
