-- The API role sees only its tenant's jobs, like every other tenant-owned table, and creates no
-- temporary objects.
ALTER TABLE fwa_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON fwa_jobs TO fwa_api
    USING (tenant_id = current_setting('fwa.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('fwa.tenant_id', true));

DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;
