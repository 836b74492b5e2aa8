import Foundation
import Postgres
import TestSupport
import Testing

@testable import Intake

/// The services' logins themselves (migration 0006), connected as deployed: the intake's login
/// (member of `fwa_intake`) and a worker's (the approval-router's, member of `fwa_router`). What injected SQL could do
/// with each session: outside `SET LOCAL ROLE fwa_api` the intake reads no table, changes no
/// schema, becomes no other role and cannot switch row-level security off.
extension IsolationTests {
    /// A pool logged in as `login`.
    static func pool(as login: String) -> PostgresPool {
        PostgresPool(
            configuration: .init(conninfo: TestDatabase.conninfo(user: login), maxConnections: 2),
            logger: TestDatabase.logger)
    }

    /// The SQLSTATE that refused `statement` (run in its own transaction), or nil when it ran.
    static func refusal(_ statement: String, on pool: PostgresPool) async -> String? {
        do {
            try await pool.transaction { try $0.execute(statement) }
            return nil
        } catch let error as PostgresError {
            return error.sqlState ?? "no SQLSTATE: \(error)"
        } catch {
            return "\(error)"
        }
    }

    /// Every statement that ran, or was refused with another SQLSTATE than 42501
    /// (insufficient_privilege); empty when all were refused for lack of privilege.
    static func notRefused(_ statements: [String], on pool: PostgresPool) async -> [String] {
        var wrong: [String] = []
        for statement in statements {
            let state = await refusal(statement, on: pool)
            if state != "42501" { wrong.append("\(statement) → \(state ?? "ran")") }
        }
        return wrong
    }

    /// Every table of the schema.
    static let allTables = tenantTables.map(\.table) + ["webhook_secrets", "fwa_jobs", "fwa_queue_pauses"]

    @Test(
        "SQL: the intake's login is no superuser, owns nothing, and outside SET LOCAL ROLE fwa_api reads, writes and changes nothing"
    )
    func intakeLoginLeastPrivilege() async throws {
        try await IntakeHarness.run { h in
            let flags = try await h.sql(
                """
                SELECT bool_or(rolsuper) AS super, bool_or(rolbypassrls) AS bypass, bool_or(rolcreaterole OR rolcreatedb) AS creates,
                       bool_or(rolname = 'fwa_intake' AND rolinherit) AS inherits
                  FROM pg_roles WHERE rolname IN ($1, 'fwa_intake')
                """, [TestDatabase.intakeLogin])
            let row = try #require(flags.first)
            #expect(
                try [
                    row.decode("super", as: Bool.self), row.decode("bypass", as: Bool.self),
                    row.decode("creates", as: Bool.self),
                    row.decode("inherits", as: Bool.self),
                ] == [false, false, false, false])
            let owned = try await h.sql(
                """
                SELECT (SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname IN ($1, 'fwa_intake', 'fwa_api', 'fwa_operator'))
                     + (SELECT count(*) FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname IN ($1, 'fwa_intake', 'fwa_api', 'fwa_operator'))
                     + (SELECT count(*) FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE r.rolname IN ($1, 'fwa_intake', 'fwa_api', 'fwa_operator')) AS n
                """, [TestDatabase.intakeLogin])
            #expect(try owned.first?.decode("n", as: Int.self) == 0)
            let owner = try #require(
                try await h.sql(
                    "SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'requests'"
                ).first
            )
            .decode("tableowner", as: String.self)

            let login = Self.pool(as: TestDatabase.intakeLogin)
            // The session is really the login, and holds none of fwa_api's privileges itself.
            let who = try await login.withConnection {
                try $0.query("SELECT current_user AS u, session_user AS s").first!
            }
            #expect(
                try who.decode("u", as: String.self) == TestDatabase.intakeLogin
                    && who.decode("s", as: String.self) == TestDatabase.intakeLogin)
            let reads =
                Self.allTables.map { "RESET ROLE; SELECT 1 FROM \($0) LIMIT 1" } + [
                    "SELECT * FROM api_keys", "SELECT secret FROM webhook_secrets",
                ]
            let writes = [
                "INSERT INTO tenants (id, name) VALUES ('sec-probe', 'x')",
                "UPDATE requests SET status = 'approved'",
                "DELETE FROM idempotency_keys",
                "UPDATE api_keys SET revoked_at = now()",
                "INSERT INTO fwa_jobs (queue, kind) VALUES ('sec', 'x')",
            ]
            let ddl = [
                "CREATE TABLE public.sec_probe (id int)",
                "CREATE SCHEMA sec_probe",
                "CREATE TEMP TABLE sec_probe_tmp (id int)",
                "CREATE FUNCTION public.sec_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                "ALTER TABLE requests ADD COLUMN sec_probe int",
                "ALTER TABLE requests DISABLE ROW LEVEL SECURITY",
                "ALTER TABLE api_keys OWNER TO \(TestDatabase.intakeLogin)",
                "DROP POLICY tenant_isolation ON requests",
                "CREATE POLICY sec_probe ON api_keys TO fwa_api USING (true)",
                "DROP TABLE requests",
                "TRUNCATE requests",
                "CREATE OR REPLACE FUNCTION fwa_api_key_by_hash(hash text) RETURNS TABLE (id uuid) LANGUAGE sql AS 'SELECT NULL::uuid'",
                "DROP FUNCTION fwa_action_token(uuid)",
            ]
            let escalation = [
                "SET ROLE \(owner)",
                "SET SESSION AUTHORIZATION \(owner)",
                "SET ROLE fwa_worker",
                "GRANT fwa_worker TO \(TestDatabase.intakeLogin)",
                "GRANT SELECT ON api_keys TO \(TestDatabase.intakeLogin)",
                "ALTER ROLE \(TestDatabase.intakeLogin) BYPASSRLS",
                "ALTER ROLE fwa_api BYPASSRLS",
                "ALTER ROLE fwa_intake INHERIT",
                "CREATE ROLE sec_probe",
                // Bypassing RLS: with row_security off, a query a policy would filter is refused.
                "SET LOCAL ROLE fwa_api; SET LOCAL row_security = off; SELECT * FROM api_keys",
                "SET LOCAL ROLE fwa_operator; SET LOCAL row_security = off; SELECT * FROM tenants",
                "SET LOCAL ROLE fwa_api; RESET ROLE; SELECT * FROM requests",
                "SET LOCAL ROLE fwa_operator; SELECT * FROM api_keys",
                "SELECT * FROM fwa_schema_migrations; SET LOCAL ROLE fwa_api; SELECT * FROM fwa_schema_migrations",
            ]
            let wrong = await Self.notRefused(reads + writes + ddl + escalation, on: login)
            #expect(wrong == [], "the intake's login was allowed or refused otherwise: \(wrong)")
            // What it may do: readiness, and the switch into a tenant.
            let ready = try await login.withConnection {
                try $0.query("SELECT count(*) AS n FROM fwa_schema_migrations").first!.decode("n", as: Int.self)
            }
            #expect(ready >= 6)
            await login.shutdown()
            let leftover = try await h.sql(
                """
                SELECT count(*) AS n FROM pg_class WHERE relname LIKE 'sec_probe%'
                """)
            #expect(try leftover.first?.decode("n", as: Int.self) == 0)
            #expect(try await h.sql("SELECT 1 FROM information_schema.columns WHERE column_name = 'sec_probe'").isEmpty)
        }
    }

    @Test(
        "SQL: the SECURITY DEFINER lookups return only the row matching their key, without secrets, to the intake's login only"
    )
    func securityDefinerLookups() async throws {
        try await IntakeHarness.run { h in
            let b = try await seedB(h)
            let a = IntakeHarness.uniqueTenant()
            let keyA = try await h.tenant(a)
            let requestA = try await h.submit(a, key: keyA)
            let tokens = (a: UUID(), b: UUID())
            for (token, tenant, request) in [(tokens.a, a, requestA), (tokens.b, b.id, b.request)] {
                _ = try await h.sql(
                    """
                    INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at)
                    VALUES ($1, $2, $3::uuid, 0, 'bo@example.edu', now() + interval '1 day')
                    """, [token, tenant, request])
            }
            let login = Self.pool(as: TestDatabase.intakeLogin)
            let keyRows = try await login.withConnection { connection in
                try [keyA, b.key].map { secret in
                    let rows = try connection.query("SELECT * FROM fwa_api_key_by_hash($1)", APIKeySecret.hash(secret))
                        .rows
                    return try rows.map { try $0.decode("tenant_id", as: String.self) }
                }
            }
            #expect(keyRows == [[a], [b.id]])
            // The result columns: no secret_hash, however called.
            let described = try await login.withConnection { connection in
                try connection.query("SELECT pg_get_function_result('fwa_api_key_by_hash(text)'::regprocedure) AS r")
                    .first!.decode("r", as: String.self)
            }
            #expect(!described.contains("secret") && !described.contains("hash"), "\(described)")
            // Anything but a full hex SHA-256 of a live secret finds nothing: no patterns, no prefixes.
            let misses = try await login.withConnection { connection in
                try [
                    "", "%", ".*", String(APIKeySecret.hash(keyA).prefix(63)), APIKeySecret.hash(keyA).uppercased(),
                    APIKeySecret.hash(keyA) + "0", "' OR true --", APIKeySecret.hash("fwa_nonexistent"),
                ].map { probe in
                    try connection.query("SELECT count(*) AS n FROM fwa_api_key_by_hash($1)", probe).first!.decode(
                        "n", as: Int.self)
                }.reduce(0, +)
            }
            #expect(misses == 0)
            let tokenRows = try await login.withConnection { connection in
                try [tokens.a, tokens.b, UUID()].map { token in
                    try connection.query("SELECT tenant_id, request_id FROM fwa_action_token($1)", token).rows
                        .map {
                            "\(try $0.decode("tenant_id", as: String.self))/\(try $0.decode("request_id", as: UUID.self).uuidString.lowercased())"
                        }
                }
            }
            #expect(tokenRows == [["\(a)/\(requestA)"], ["\(b.id)/\(b.request)"], []])
            await login.shutdown()
            // Each function fixes its search_path, runs as its owner, and only fwa_intake may call it.
            let functions = try await h.sql(
                """
                SELECT p.proname, p.prosecdef, array_to_string(p.proconfig, ',') AS config,
                       has_function_privilege($1, p.oid, 'EXECUTE') AS worker_may,
                       has_function_privilege('fwa_api', p.oid, 'EXECUTE') AS api_may,
                       has_function_privilege($2, p.oid, 'EXECUTE') AS intake_may
                  FROM pg_proc p WHERE p.proname IN ('fwa_api_key_by_hash', 'fwa_action_token', 'fwa_prune_idempotency_keys') ORDER BY 1
                """, [TestDatabase.routerLogin, TestDatabase.intakeLogin])
            #expect(functions.count == 3)
            for row in functions {
                let name = try row.decode("proname", as: String.self)
                #expect(try row.decode("prosecdef", as: Bool.self), "\(name)")
                #expect(try row.decode("config", as: String.self).hasPrefix("search_path=public, pg_temp"), "\(name)")
                #expect(
                    try [
                        row.decode("worker_may", as: Bool.self), row.decode("api_may", as: Bool.self),
                        row.decode("intake_may", as: Bool.self),
                    ]
                        == [false, false, true], "\(name)")
            }
        }
    }

    @Test(
        "SQL: a worker's login sees every tenant's business rows but changes no schema, reads no API key, identity or idempotency record, and becomes no other role"
    )
    func workerLoginLeastPrivilege() async throws {
        try await IntakeHarness.run { h in
            let b = try await seedB(h)
            let a = IntakeHarness.uniqueTenant()
            _ = try await h.submit(a, key: try await h.tenant(a))
            let worker = Self.pool(as: TestDatabase.routerLogin)
            // Cross-tenant: the policies for fwa_router let it see both tenants' requests and jobs.
            let seen = try await worker.withConnection { connection in
                try connection.query(
                    "SELECT count(DISTINCT tenant_id) AS n FROM requests WHERE tenant_id IN ($1, $2)", a, b.id
                ).first!.decode("n", as: Int.self)
            }
            #expect(seen == 2)
            let refused = [
                "SELECT * FROM api_keys",
                "SELECT secret_hash FROM api_keys",
                "SELECT * FROM fwa_api_key_by_hash('\(String(repeating: "0", count: 64))')",
                "SELECT * FROM fwa_action_token(gen_random_uuid())",
                "SELECT fwa_prune_idempotency_keys(1)",
                "SELECT * FROM tenant_identity",
                "SELECT * FROM idempotency_keys",
                "SELECT * FROM delegations",
                "INSERT INTO tenants (id, name) VALUES ('sec-probe', 'x')",
                "INSERT INTO tenant_versions (tenant_id, version, policy, sha256) VALUES ('\(a)', 99, '{}', '\(String(repeating: "0", count: 64))')",
                "DELETE FROM requests",
                "DELETE FROM events",
                "UPDATE events SET action = 'x'",
                "UPDATE alerts SET status = 'acknowledged'",
                "DELETE FROM fwa_queue_pauses",
                "CREATE TABLE public.sec_probe (id int)",
                "CREATE TEMP TABLE sec_probe_tmp (id int)",
                "ALTER TABLE requests ADD COLUMN sec_probe int",
                "ALTER TABLE fwa_jobs DISABLE ROW LEVEL SECURITY",
                "DROP POLICY workers_all_tenants ON fwa_jobs",
                "DROP TABLE fwa_jobs",
                "TRUNCATE fwa_jobs",
                "SET ROLE fwa_api",
                "SET ROLE fwa_intake",
                "ALTER ROLE fwa_router BYPASSRLS",
                "GRANT SELECT ON api_keys TO fwa_router",
            ]
            let wrong = await Self.notRefused(refused, on: worker)
            #expect(wrong == [], "the worker's login was allowed or refused otherwise: \(wrong)")
            await worker.shutdown()
            let rows = try await h.sql("SELECT count(*) AS n FROM requests WHERE tenant_id = $1", [b.id])
            #expect(try rows.first?.decode("n", as: Int.self) == 1)
        }
    }

    @Test(
        "SQL: the intake's login prunes idempotency records older than a day, of every tenant, only through fwa_prune_idempotency_keys"
    )
    func idempotencyPruning() async throws {
        try await IntakeHarness.run { h in
            let tenants = [IntakeHarness.uniqueTenant(), IntakeHarness.uniqueTenant()]
            for tenant in tenants {
                for (key, age) in [("old", "2 days"), ("fresh", "1 hour")] {
                    _ = try await h.sql(
                        """
                        INSERT INTO idempotency_keys (tenant_id, key, method, path, request_hash, created_at)
                        VALUES ($1, $2, 'POST', '/x', 'h', now() - $3::interval)
                        """, [tenant, key, age])
                }
            }
            let login = Self.pool(as: TestDatabase.intakeLogin)
            let pruning = IdempotencyPruning(pool: login, logger: TestDatabase.logger, batch: 1)
            var rounds = 0
            while try await pruning.pruneOnce() == 1, rounds < 1000 { rounds += 1 }
            #expect(rounds >= 2)
            await login.shutdown()
            let left = try await h.sql(
                "SELECT tenant_id || '/' || key AS k FROM idempotency_keys WHERE tenant_id = ANY($1::text[]) ORDER BY 1",
                [tenants])
            #expect(try left.map { try $0.decode("k", as: String.self) } == tenants.sorted().map { "\($0)/fresh" })
        }
    }
}
