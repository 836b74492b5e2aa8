import Foundation
import Postgres
import TestSupport
import Testing

@testable import Intake

/// Each worker service's own login (migration 0010), connected as deployed, tries what its code
/// never does: every attempt must be refused for lack of privilege (42501). Before 0010 the three
/// shared `fwa_worker`, so the compliance-checker's login could mint action tokens, read webhook
/// secrets and record decisions.
@Suite("Per-service database roles: each worker's login is refused what its service does not do")
struct ServiceRoleTests {
    /// Statements every worker login is refused: audit history written directly, and the
    /// intake's own tables.
    static func common(_ tenant: String) -> [String] {
        [
            "INSERT INTO events (tenant_id, actor, action) VALUES ('\(tenant)', 'x', 'forged')",
            "UPDATE events SET actor = 'x'",
            "DELETE FROM events",
            "SELECT * FROM api_keys",
            "SELECT * FROM tenant_identity",
            "SELECT * FROM delegations",
            "UPDATE request_steps SET decision = 'approve', status = 'approved', decided_at = now() WHERE tenant_id = '\(tenant)'",
        ]
    }

    @Test(
        "SQL: the compliance-checker's login cannot mint action tokens, read webhook secrets, touch steps or decisions, or change requests"
    )
    func checkerLogin() async throws {
        try await IntakeHarness.run { h in
            let (tenant, request) = try await Self.seed(h)
            let refused =
                Self.common(tenant) + [
                    "INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at) VALUES (gen_random_uuid(), '\(tenant)', '\(request)', 0, 'bo@example.edu', now() + interval '1 day')",
                    "SELECT * FROM action_tokens",
                    "SELECT secret FROM webhook_secrets",
                    "INSERT INTO webhook_secrets (tenant_id, secret) VALUES ('\(tenant)', '\(String(repeating: "k", count: 40))')",
                    "SELECT * FROM request_steps",
                    "UPDATE request_steps SET status = 'open' WHERE tenant_id = '\(tenant)'",
                    "UPDATE requests SET status = 'approved' WHERE id = '\(request)'",
                    "SELECT * FROM deliveries",
                    "INSERT INTO notification_events (event_key, tenant_id, kind) VALUES ('probe', '\(tenant)', 'decision')",
                ]
            try await Self.expectRefused(refused, as: TestDatabase.checkerLogin)
        }
    }

    @Test(
        "SQL: the approval-router's login reads no webhook secret or action token, raises no alert, and cannot record a decision"
    )
    func routerLogin() async throws {
        try await IntakeHarness.run { h in
            let (tenant, request) = try await Self.seed(h)
            let refused =
                Self.common(tenant) + [
                    "SELECT secret FROM webhook_secrets",
                    "SELECT * FROM action_tokens",
                    "INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at) VALUES (gen_random_uuid(), '\(tenant)', '\(request)', 0, 'bo@example.edu', now() + interval '1 day')",
                    "INSERT INTO alerts (id, tenant_id, rule_id, kind, dedupe_key) VALUES (gen_random_uuid(), '\(tenant)', 'r', 'k', 'probe')",
                    "SELECT * FROM deliveries",
                    // Its own column, but into a decided status: the row policy refuses the new row.
                    "UPDATE request_steps SET status = 'approved' WHERE request_id = '\(request)'",
                    "UPDATE request_steps SET approver_email = 'me@example.edu' WHERE request_id = '\(request)'",
                    "UPDATE requests SET supervisor_email = 'me@example.edu' WHERE id = '\(request)'",
                ]
            try await Self.expectRefused(refused, as: TestDatabase.routerLogin)
        }
    }

    @Test("SQL: the notifier's login reads and changes no request or step and raises no alert")
    func notifierLogin() async throws {
        try await IntakeHarness.run { h in
            let (tenant, request) = try await Self.seed(h)
            let refused =
                Self.common(tenant) + [
                    "UPDATE requests SET status = 'approved' WHERE id = '\(request)'",
                    "SELECT * FROM requests",
                    "SELECT * FROM request_steps",
                    "INSERT INTO alerts (id, tenant_id, rule_id, kind, dedupe_key) VALUES (gen_random_uuid(), '\(tenant)', 'r', 'k', 'probe')",
                    "UPDATE notification_templates SET subject = 'x'",
                ]
            try await Self.expectRefused(refused, as: TestDatabase.notifierLogin)
        }
    }

    @Test("SQL: no worker login is left in the shared fwa_worker group, which holds no privilege")
    func sharedWorkerRoleEmpty() async throws {
        try await IntakeHarness.run { h in
            let rows = try await h.sql(
                """
                SELECT (SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'fwa_worker')
                     + (SELECT count(*) FROM information_schema.role_routine_grants WHERE grantee = 'fwa_worker')
                     + (SELECT count(*) FROM pg_policies WHERE 'fwa_worker' = ANY(roles)) AS n
                """)
            #expect(try rows.first?.decode("n", as: Int.self) == 0)
        }
    }

    /// A tenant with one submitted request whose first step is open; its id and the request's.
    static func seed(_ h: IntakeHarness) async throws -> (tenant: String, request: String) {
        let tenant = IntakeHarness.uniqueTenant()
        let request = try await h.submit(tenant, key: try await h.tenant(tenant))
        try await h.openStep(request, 0)
        return (tenant, request)
    }

    /// Runs each statement as `login` and expects 42501 for every one; then checks nothing of
    /// the seeded rows changed hands (the statements ran in transactions that failed).
    static func expectRefused(_ statements: [String], as login: String) async throws {
        let pool = IsolationTests.pool(as: login)
        let wrong = await IsolationTests.notRefused(statements, on: pool)
        await pool.shutdown()
        #expect(wrong == [], "\(login) was allowed, or refused otherwise: \(wrong)")
    }
}
