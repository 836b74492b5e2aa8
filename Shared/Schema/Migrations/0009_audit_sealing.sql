-- The audit trail is sealed after the fact instead of chained inside every writer's transaction.
--
-- Before: each append took a per-tenant advisory lock, read the tenant's last hash and chained
-- to it, and held the lock until its transaction committed; every state change of a tenant (the
-- intake's submissions and decisions, the workers' steps, alerts and deliveries) queued behind
-- one another's commits, which capped a tenant at about a hundred requests a second.
--
-- Now: an append is a plain INSERT with no seal (seq, prev_hash and hash NULL) and takes no lock.
-- A sealer (`fwa_seal_events`, run by the worker services every second and by
-- `fwactl audit verify`) gives each committed, unsealed event of a tenant the next sequence
-- number, links it to the tenant's previous hash and computes its own, in the order the events
-- are found (by id). A seal is written once: the trigger refuses any other change, and an insert
-- that brings its own seal.

ALTER TABLE events ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE events ALTER COLUMN seq DROP NOT NULL,
                   ALTER COLUMN prev_hash DROP NOT NULL,
                   ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE events ADD CONSTRAINT events_tenant_seq UNIQUE (tenant_id, seq);
ALTER TABLE events ADD CONSTRAINT events_sealed_whole
    CHECK ((seq IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL));
DROP INDEX events_request;
CREATE INDEX events_request ON events (request_id, id) WHERE request_id IS NOT NULL;
CREATE INDEX events_unsealed ON events (tenant_id, id) WHERE hash IS NULL;

-- The hash of an event: SHA-256 of a canonical JSON array of the previous hash and every field
-- (the same bytes as before this migration, so chains sealed earlier still verify).
CREATE FUNCTION fwa_event_hash(prev_hash text, tenant_id text, seq bigint, request_id uuid, at timestamptz,
                               actor text, action text, before jsonb, after jsonb)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(prev_hash, tenant_id, seq, request_id::text,
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action, before, after)::text, 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION fwa_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
            RAISE EXCEPTION 'events are sealed by the audit sealer, not by their writer' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    -- The one change allowed: sealing an unsealed event, leaving every recorded field as it was.
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
       AND (NEW.id, NEW.tenant_id, NEW.request_id, NEW.at, NEW.actor, NEW.action, NEW.before::text, NEW.after::text)
           IS NOT DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.request_id, OLD.at, OLD.actor, OLD.action, OLD.before::text, OLD.after::text)
       AND NEW.hash = fwa_event_hash(NEW.prev_hash, NEW.tenant_id, NEW.seq, NEW.request_id, NEW.at, NEW.actor, NEW.action,
                                     NEW.before, NEW.after) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_sealed_by_sealer BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION fwa_events_append_only();

-- Seals up to `max_events` committed, unsealed events, tenant by tenant in id order; returns how
-- many it sealed, or 0 when another session is sealing (one sealer at a time, so no chain forks).
-- SECURITY DEFINER: a service role that may only insert events can still have them sealed; the
-- function writes nothing but seals.
CREATE FUNCTION fwa_seal_events(max_events integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    event record;
    current_tenant text;
    next_seq bigint;
    previous text;
    sealed integer := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('fwa_events_seal'), 0) THEN
        RETURN 0;
    END IF;
    FOR event IN SELECT id, tenant_id FROM events WHERE hash IS NULL ORDER BY tenant_id, id LIMIT max_events LOOP
        IF current_tenant IS DISTINCT FROM event.tenant_id THEN
            current_tenant := event.tenant_id;
            SELECT e.seq, e.hash INTO next_seq, previous
              FROM events e WHERE e.tenant_id = current_tenant AND e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1;
            next_seq := coalesce(next_seq, 0) + 1;
            previous := coalesce(previous, repeat('0', 64));
        END IF;
        UPDATE events e
           SET seq = next_seq, prev_hash = previous,
               hash = fwa_event_hash(previous, e.tenant_id, next_seq, e.request_id, e.at, e.actor, e.action, e.before, e.after)
         WHERE e.id = event.id
        RETURNING e.hash INTO previous;
        next_seq := next_seq + 1;
        sealed := sealed + 1;
    END LOOP;
    RETURN sealed;
END $$;

-- Sealing is the worker services' job (and the owner's, through fwactl).
REVOKE EXECUTE ON FUNCTION fwa_seal_events(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fwa_seal_events(integer) TO fwa_worker;
