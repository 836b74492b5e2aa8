import Foundation
import Postgres
import Storage
import TestSupport
import Testing

@testable import Intake

/// Forged audit history (migration 0011): no service login inserts into `events`; appends go
/// through `fwa_append_event`, which stamps the id and the time itself and takes the tenant from
/// the session (the intake) or from the job the worker holds. Before, any worker login and the
/// intake's `fwa_api` inserted events for any tenant, with any actor, a past `at`, even `id = -1`.
@Suite("Audit appends: no direct insert, no forged tenant, time or id, a worker only for the job it holds")
struct AuditAppendTests {
    static let forgedInsert =
        "INSERT INTO events (tenant_id, at, actor, action) VALUES ('%@', '2001-01-01', 'ceo@example.edu', 'approved')"
    static let forgedID =
        "INSERT INTO events (id, tenant_id, actor, action) OVERRIDING SYSTEM VALUE VALUES (-1, '%@', 'x', 'approved')"

    @Test("SQL: every service login's direct INSERT, UPDATE or DELETE on events is refused (42501)")
    func directWritesRefused() async throws {
        try await IntakeHarness.run { h in
            let (tenant, _) = try await ServiceRoleTests.seed(h)
            let writes = [
                Self.forgedInsert, Self.forgedID, "UPDATE events SET actor = 'x' WHERE tenant_id = '%@'",
                "DELETE FROM events WHERE tenant_id = '%@'",
            ]
            .map { $0.replacingOccurrences(of: "%@", with: tenant) }
            // The intake's login, inside its row-level-security roles, for its own tenant.
            for role in ["fwa_api", "fwa_operator"] {
                let scoped = writes.map {
                    "SET LOCAL ROLE \(role); SELECT set_config('fwa.tenant_id', '\(tenant)', true); \($0)"
                }
                try await ServiceRoleTests.expectRefused(scoped, as: TestDatabase.intakeLogin)
            }
            for (login, _) in TestDatabase.workerLogins {
                try await ServiceRoleTests.expectRefused(writes, as: login)
            }
            let forged = try await h.sql(
                "SELECT count(*) AS n FROM events WHERE tenant_id = $1 AND (actor = 'ceo@example.edu' OR id < 0)",
                [tenant])
            #expect(try forged.first?.decode("n", as: Int.self) == 0)
        }
    }

    @Test(
        "SQL: through the function the intake appends only for its session's tenant, at the database's time, with the database's id"
    )
    func intakeAppendsForItsTenantOnly() async throws {
        try await IntakeHarness.run { h in
            let (a, requestA) = try await ServiceRoleTests.seed(h)
            let (b, requestB) = try await ServiceRoleTests.seed(h)
            let session = "SET LOCAL ROLE fwa_api; SELECT set_config('fwa.tenant_id', '\(a)', true);"
            let refused = [
                "\(session) SELECT fwa_append_event('\(b)', NULL, 'x', 'forged', NULL, NULL)",
                "\(session) SELECT fwa_append_event('\(a)', '\(requestB)', 'x', 'forged', NULL, NULL)",
                "\(session) SELECT fwa_append_tenant_event('\(b)', NULL, 'x', 'forged', NULL, NULL)",
                "\(session) SELECT fwa_insert_event('\(b)', NULL, 'x', 'forged', NULL, NULL)",
                // A job the intake does not hold, named to reach the workers' path.
                "\(session) SELECT set_config('fwa.job_id', '1', true), set_config('fwa.job_attempt', '1', true); SELECT fwa_append_event('\(a)', NULL, 'x', 'forged', NULL, NULL)",
                "SET LOCAL ROLE fwa_api; SELECT fwa_append_event('\(a)', NULL, 'x', 'forged', NULL, NULL)",
                "SELECT fwa_append_event('\(a)', NULL, 'x', 'forged', NULL, NULL)",
            ]
            try await ServiceRoleTests.expectRefused(refused, as: TestDatabase.intakeLogin)
            // The function takes no time and no id: an old `at` cannot even be passed.
            let login = IsolationTests.pool(as: TestDatabase.intakeLogin)
            let noSuchFunction = await IsolationTests.refusal(
                "\(session) SELECT fwa_append_event('\(a)', NULL, 'x', 'forged', NULL, NULL, '2001-01-01'::timestamptz)",
                on: login)
            #expect(noSuchFunction == "42883")
            // What it may do: its own tenant and request, stamped now.
            let stamped = try await login.transaction { connection in
                connection.pipeline("SET LOCAL ROLE fwa_api")
                connection.pipeline(prepared: "SELECT set_config('fwa.tenant_id', $1, true)", a)
                AuditLog.append(
                    AuditEvent(
                        tenantID: a, requestID: UUID(uuidString: requestA), actor: "probe@example.edu", action: "probe"),
                    on: connection)
                let row = try connection.query(
                    """
                    SELECT count(*) AS n, bool_and(at >= now() AND id > 0) AS fresh FROM events WHERE tenant_id = $1 AND action = 'probe'
                    """, a
                ).first!
                return (try row.decode("n", as: Int.self), try row.decode("fresh", as: Bool.self))
            }
            #expect(stamped.0 == 1)
            #expect(stamped.1)
            await login.shutdown()
            let inB = try await h.sql(
                "SELECT count(*) AS n FROM events WHERE tenant_id = $1 AND action = 'forged'", [b])
            #expect(try inB.first?.decode("n", as: Int.self) == 0)
        }
    }

    @Test("SQL: a worker appends only for a running job it holds, of the event's tenant and request")
    func workerAppendsOnlyForHeldJob() async throws {
        try await IntakeHarness.run { h in
            let (a, requestA) = try await ServiceRoleTests.seed(h)
            let (b, requestB) = try await ServiceRoleTests.seed(h)
            let queue = TestDatabase.uniqueName("audit")
            func job(_ tenant: String, _ request: String, state: String) async throws -> Int64 {
                try await h.sql(
                    """
                    INSERT INTO fwa_jobs (queue, kind, tenant_id, payload, state, attempt, heartbeat_at)
                    VALUES ($1, 'probe', $2, jsonb_build_object('request_id', $3::text), $4, 1, CASE WHEN $4 = 'running' THEN now() END)
                    RETURNING id
                    """, [queue, tenant, request, state]
                ).first!.decode("id", as: Int64.self)
            }
            let held = try await job(a, requestA, state: "running")
            let finished = try await job(a, requestA, state: "completed")
            let waiting = try await job(a, requestA, state: "available")
            @Sendable func holding(_ id: Int64, attempt: Int = 1) -> String {
                "SELECT set_config('fwa.job_id', '\(id)', true), set_config('fwa.job_attempt', '\(attempt)', true);"
            }
            let append = { (tenant: String, request: String) in
                "SELECT fwa_append_event('\(tenant)', '\(request)', 'approval-router', 'forged', NULL, NULL)"
            }
            let refused = [
                append(a, requestA),  // no job named
                "SELECT set_config('fwa.tenant_id', '\(a)', true); \(append(a, requestA))",  // the intake's path
                "\(holding(finished)) \(append(a, requestA))",  // a job no longer running
                "\(holding(waiting)) \(append(a, requestA))",  // a job nobody claimed
                "\(holding(held, attempt: 2)) \(append(a, requestA))",  // another attempt's
                "\(holding(held)) \(append(b, requestB))",  // another tenant
                // not the job's request
                "\(holding(held)) SELECT fwa_append_event('\(a)', NULL, 'x', 'forged', NULL, NULL)",
                "\(holding(held)) SELECT fwa_append_job_event(\(held), 1, '\(b)', NULL, 'x', 'forged', NULL, NULL)",
                "SELECT fwa_insert_event('\(a)', NULL, 'x', 'forged', NULL, NULL)",
            ]
            for (login, _) in TestDatabase.workerLogins {
                try await ServiceRoleTests.expectRefused(refused, as: login)
            }
            // The job it holds: accepted, for that tenant and request, stamped by the database.
            let router = IsolationTests.pool(as: TestDatabase.routerLogin)
            try await router.transaction {
                try $0.execute(
                    "\(holding(held)) SELECT fwa_append_event('\(a)', '\(requestA)', 'approval-router', 'held', NULL, NULL)"
                )
            }
            await router.shutdown()
            let rows = try await h.sql(
                "SELECT tenant_id, action FROM events WHERE action IN ('held', 'forged') AND tenant_id IN ($1, $2)",
                [a, b])
            #expect(
                try rows.map {
                    "\(try $0.decode("tenant_id", as: String.self)):\(try $0.decode("action", as: String.self))"
                } == ["\(a):held"])
        }
    }
}
