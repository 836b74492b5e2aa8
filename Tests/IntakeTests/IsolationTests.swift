import Foundation
import HTTPTypes
import HummingbirdTesting
import Policy
import Postgres
import Storage
import Testing

@testable import Intake

/// Tenant isolation, checked twice: over HTTP (every tenant route, tenant A's credentials against
/// tenant B's data answer 404 and change nothing), and in SQL as the API role `fwa_api` (row-level
/// security hides, refuses and cannot be switched off). Also the role's privileges: it cannot
/// change the schema or bypass RLS.
@Suite("Tenant isolation, who may decide, and the API role's privileges")
struct IsolationTests {
    /// Tenant B with one of everything: a request with an open step, an alert, a delegation.
    struct TenantB {
        var id: String
        var key: String
        var request: String
        var alert: String
        var delegation: String
    }

    func seedB(_ h: IntakeHarness) async throws -> TenantB {
        let b = IntakeHarness.uniqueTenant()
        let key = try await h.tenant(b)
        let request = try await h.submit(b, key: key)
        try await h.openStep(request, 0)
        let alert = UUID().uuidString.lowercased()
        _ = try await h.sql(
            """
            INSERT INTO alerts (id, tenant_id, request_id, rule_id, kind, jurisdiction, from_date, recipients, message, dedupe_key)
            VALUES ($1::uuid, $2, $3::uuid, 'mit-out-of-state', 'out_of_home_region', 'US-CT', '2030-01-01', '{payroll}', 'Tell payroll.', $1)
            """, [alert, b, request])
        let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")
        let head = try await IntakeHarness.user("dlc-head@example.edu")
        let delegated = try await h.send(
            .post, "/v1/tenants/\(b)/delegations", token: key,
            json:
                #"{"role": "department_head", "delegate_email": "dlc-ao@example.edu", "from": "\#(today)", "to": "\#(today.adding(days: 10))"}"#,
            headers: ["X-Acting-User": head])
        #expect(delegated.status == .created, "\(delegated.text)")
        return TenantB(
            id: b, key: key, request: request, alert: alert, delegation: try delegated.object()["id"] as? String ?? "")
    }

    /// What B's rows look like; must be identical before and after A's attempts.
    private func snapshot(_ h: IntakeHarness, _ b: TenantB) async throws -> String {
        let rows = try await h.sql(
            """
            SELECT (SELECT status || coalesce(decision_reason, '') FROM requests WHERE id = $1::uuid)
                || (SELECT string_agg(status || coalesce(decision, ''), ',' ORDER BY idx) FROM request_steps WHERE request_id = $1::uuid)
                || (SELECT count(*)::text FROM events WHERE tenant_id = $2)
                || (SELECT coalesce(acknowledged_at::text, 'open') FROM alerts WHERE id = $3::uuid)
                || (SELECT coalesce(revoked_at::text, 'live') FROM delegations WHERE id = $4::uuid)
                || (SELECT count(*)::text FROM requests WHERE tenant_id = $2) AS state
            """, [b.request, b.id, b.alert, b.delegation])
        return try rows.first?.decode("state", as: String.self) ?? ""
    }

    @Test(
        "API: tenant A's key, with a user token A's IdP signed for B's approver, gets 404 on every tenant route of B and on B's ids under A, and changes nothing"
    )
    func everyEndpoint() async throws {
        try await IntakeHarness.run { h in
            let b = try await seedB(h)
            let a = IntakeHarness.uniqueTenant()
            let keyA = try await h.tenant(a)
            let ownA = try await h.submit(a, key: keyA)
            let before = try await snapshot(h, b)
            // Tokens A's IdP signs for B's people: valid for A, and naming B's approver, employee and delegator.
            let bo = try await IntakeHarness.user("bo@example.edu")
            let ana = try await IntakeHarness.user("ana@example.edu")
            let head = try await IntakeHarness.user("dlc-head@example.edu")
            let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")
            let delegation =
                #"{"role": "department_head", "delegate_email": "x@example.edu", "from": "\#(today)", "to": "\#(today)"}"#
            let ending = #"{"effective_date": "\#(today.adding(days: 60))", "reason": "test"}"#
            typealias Attempt = (HTTPRequest.Method, String, String?, String?)  // method, path, body, acting user
            func attempts(tenant: String) -> [Attempt] {
                let t = "/v1/tenants/\(tenant)"
                return [
                    (.post, "\(t)/requests", IntakeHarness.submission(), nil),
                    (.get, "\(t)/requests", nil, nil),
                    (.get, "\(t)/requests?employee=ana@example.edu", nil, nil),
                    (.get, "\(t)/requests/\(b.request)", nil, nil),
                    (.post, "\(t)/requests/\(b.request)/decisions", #"{"decision": "approve"}"#, bo),
                    (
                        .post, "\(t)/requests/\(b.request)/decisions",
                        #"{"decision": "deny", "reason": "no", "step": 0}"#, bo
                    ),
                    (.post, "\(t)/requests/\(b.request)/withdraw", ending, ana),
                    (.post, "\(t)/requests/\(b.request)/terminate", ending, bo),
                    (.post, "\(t)/delegations", delegation, head),
                    (.get, "\(t)/delegations", nil, nil),
                    (.delete, "\(t)/delegations/\(b.delegation)", nil, head),
                    (.get, "\(t)/alerts", nil, nil),
                    (.post, "\(t)/alerts/\(b.alert)/acknowledge", #"{"note": "seen"}"#, head),
                    (.post, "\(t)/alerts/\(b.alert)/acknowledge", nil, bo),
                ]
            }
            // On B's paths, everything is 404 before any data is touched (the key is not B's).
            for (method, path, body, acting) in attempts(tenant: b.id) {
                let answer = try await h.send(
                    method, path, token: keyA, json: body, headers: acting.map { ["X-Acting-User": $0] } ?? [:])
                #expect(answer.status == .notFound, "\(method) \(path): \(answer.status) \(answer.text)")
                #expect(try answer.problemType() == "not-found", "\(method) \(path)")
                let detail = try answer.object()["detail"] as? String ?? ""  // `instance` echoes the path as sent
                #expect(
                    !detail.contains(b.request) && !answer.text.contains("bo@example.edu")
                        && !answer.text.contains("Ana Lima"), "\(method) \(path) leaks: \(answer.text)")
            }
            // On A's own paths, B's ids do not exist.
            for (method, path, body, acting) in attempts(tenant: a)
            where path.contains(b.request) || path.contains(b.alert) || path.contains(b.delegation) {
                let answer = try await h.send(
                    method, path, token: keyA, json: body, headers: acting.map { ["X-Acting-User": $0] } ?? [:])
                #expect(answer.status == .notFound, "\(method) \(path): \(answer.status) \(answer.text)")
            }
            // A's lists show only A's rows, whatever the filter.
            for path in [
                "/requests", "/requests?employee=ana@example.edu", "/requests?approver=bo@example.edu", "/alerts",
                "/delegations",
            ] {
                let listed = try await h.send(.get, "/v1/tenants/\(a)\(path)", token: keyA)
                #expect(listed.status == .ok, "\(path): \(listed.text)")
                let ids = (try listed.object()["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(Set(ids).isSubset(of: [ownA]), "\(path) lists \(ids)")
            }
            // Operator routes refuse a tenant key the same way for A and B (no existence leak).
            for tenant in [a, b.id, "no-such-tenant"] {
                for (method, path) in [(HTTPRequest.Method.get, ""), (.get, "/versions"), (.get, "/api-keys")] {
                    #expect(try await h.send(method, "/v1/tenants/\(tenant)\(path)", token: keyA).status == .forbidden)
                }
            }
            #expect(try await snapshot(h, b) == before)
            // B's own key still sees its data (the 404s above were isolation, not breakage).
            #expect(try await h.send(.get, "/v1/tenants/\(b.id)/requests/\(b.request)", token: b.key).status == .ok)
        }
    }

    @Test("API: a user token from tenant B's identity provider is refused on tenant A (401), even with A's key")
    func actingUserIsTenantBound() async throws {
        try await IntakeHarness.run { h in
            let a = IntakeHarness.uniqueTenant()
            let keyA = try await h.tenant(a)
            let request = try await h.submit(a, key: keyA)
            try await h.openStep(request, 0)
            let identity = try await h.send(
                .put, "/v1/tenants/\(a)/identity", token: IntakeHarness.adminToken,
                json:
                    #"{"issuer": "https://idp.a.example", "audience": "\#(IntakeHarness.audience)", "hs256_secret": "tenant-a-only-secret-0123456789abcdef"}"#
            )
            #expect(identity.status == .ok)
            let fromB = try await IntakeHarness.user("bo@example.edu")  // the other tenants' issuer and secret
            let wrongIssuer = try await IntakeHarness.user(
                "bo@example.edu", secret: "tenant-a-only-secret-0123456789abcdef")
            let path = "/v1/tenants/\(a)/requests/\(request)/decisions"
            for token in [fromB, wrongIssuer] {
                let refused = try await h.send(
                    .post, path, token: keyA, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": token])
                #expect(refused.status == .unauthorized, "\(refused.text)")
            }
            let own = try await IntakeHarness.user(
                "bo@example.edu", secret: "tenant-a-only-secret-0123456789abcdef", issuer: "https://idp.a.example")
            let decided = try await h.send(
                .post, path, token: keyA, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": own])
            #expect(decided.status == .ok, "\(decided.text)")
        }
    }

    // MARK: Who may decide

    /// An action link for step `step` of `request`, bound to `approver`.
    private func link(
        _ h: IntakeHarness, tenant: String, request: String, step: Int, approver: String, expiresIn: Int = 3600
    ) async throws -> String {
        let id = UUID()
        _ = try await h.sql(
            """
            INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at)
            VALUES ($1, $2, $3::uuid, $4, $5, now() + make_interval(secs => $6))
            """, [id, tenant, request, step, approver, expiresIn])
        return ActionLink.token(id: id, secret: IntakeHarness.actionSecret)
    }

    private func stepStatus(_ h: IntakeHarness, _ request: String, _ step: Int) async throws -> String {
        try await h.sql("SELECT status FROM request_steps WHERE request_id = $1::uuid AND idx = $2", [request, step])
            .first?.decode("status", as: String.self) ?? ""
    }

    @Test(
        "action links: single use under a race, bound to one step and one person, expiring; a tampered or re-cased token is 404"
    )
    func actionLinks() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let request = try await h.submit(tenant, key: key)
            try await h.openStep(request, 0)
            // Bound to one person: a link naming someone other than the step's approver decides nothing.
            let stranger = try await link(h, tenant: tenant, request: request, step: 0, approver: "mallory@example.edu")
            let refused = try await h.send(.post, "/v1/actions/\(stranger)", json: #"{"decision": "approve"}"#)
            #expect(refused.status == .forbidden, "\(refused.text)")
            #expect(try await stepStatus(h, request, 0) == "open")
            // Single use, even when four clicks race: one decides, the others are 409.
            let token = try await link(h, tenant: tenant, request: request, step: 0, approver: "bo@example.edu")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        try await h.send(
                            .post, "/v1/actions/\(token)", json: #"{"decision": "approve"}"#,
                            headers: ["Idempotency-Key": "click-\(index)"]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 3, "\(statuses)")
            #expect(try await h.send(.get, "/v1/actions/\(token)").status == .conflict)
            // Bound to one step: step 0's second link cannot decide step 1 once it is open.
            let stepZero = try await link(h, tenant: tenant, request: request, step: 0, approver: "bo@example.edu")
            try await h.openStep(request, 1)
            let wrongStep = try await h.send(
                .post, "/v1/actions/\(stepZero)", json: #"{"decision": "deny", "reason": "no"}"#)
            #expect(wrongStep.status == .conflict, "\(wrongStep.text)")
            #expect(try wrongStep.problemType() == "step-closed")
            #expect(try await stepStatus(h, request, 1) == "open")
            // Expired, tampered, re-cased, or signed with another secret: nothing happens.
            let expired = try await link(
                h, tenant: tenant, request: request, step: 1, approver: "dlc-head@example.edu", expiresIn: -1)
            #expect(
                try await h.send(.post, "/v1/actions/\(expired)", json: #"{"decision": "approve"}"#).status == .gone)
            let valid = try await link(h, tenant: tenant, request: request, step: 1, approver: "dlc-head@example.edu")
            let id = String(valid.prefix(36))
            let forged = [
                valid.uppercased(), id.uppercased() + String(valid.dropFirst(36)),
                String(valid.dropLast()) + (valid.hasSuffix("A") ? "B" : "A"),
                id, id + ".",
                ActionLink.token(id: UUID(uuidString: id)!, secret: "another-secret-of-at-least-32-characters"),
                valid + "=", valid + "/../x",
            ]
            for candidate in forged {
                let answer = try await h.send(.post, "/v1/actions/\(candidate)", json: #"{"decision": "approve"}"#)
                #expect(answer.status == .notFound, "\(candidate): \(answer.status) \(answer.text)")
            }
            #expect(try await stepStatus(h, request, 1) == "open")
            #expect(try await h.send(.post, "/v1/actions/\(valid)", json: #"{"decision": "approve"}"#).status == .ok)
        }
    }

    @Test(
        "API decisions: only the step's approver or a delegate whose delegation is live today, of that role, from that approver"
    )
    func delegatesOnlyWhileValid() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let request = try await h.submit(tenant, key: key)
            // department_head: dlc-head@example.edu, delegable to the administrative officer
            try await h.openStep(request, 1)
            let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")
            func delegation(
                from: CivilDate, to: CivilDate, role: String = "department_head",
                delegator: String = "dlc-head@example.edu", revoked: Bool = false
            ) async throws {
                _ = try await h.sql(
                    """
                    INSERT INTO delegations (id, tenant_id, role, delegator_email, delegate_email, valid_from, valid_to, revoked_at)
                    VALUES (gen_random_uuid(), $1, $2, $3, 'dlc-ao@example.edu', $4::date, $5::date, CASE WHEN $6 THEN now() END)
                    """, [tenant, role, delegator, from.description, to.description, revoked])
            }
            let ao = try await IntakeHarness.user("dlc-ao@example.edu")
            let path = "/v1/tenants/\(tenant)/requests/\(request)/decisions"
            func attempt() async throws -> HTTPResponse.Status {
                try await h.send(
                    .post, path, token: key, json: #"{"decision": "approve", "step": 1}"#,
                    headers: ["X-Acting-User": ao]
                ).status
            }
            #expect(try await attempt() == .forbidden)  // no delegation
            try await delegation(from: today.adding(days: -10), to: today.adding(days: -1))
            #expect(try await attempt() == .forbidden)  // expired yesterday
            try await delegation(from: today.adding(days: 1), to: today.adding(days: 5))
            #expect(try await attempt() == .forbidden)  // not yet
            try await delegation(from: today, to: today.adding(days: 5), revoked: true)
            #expect(try await attempt() == .forbidden)  // revoked
            try await delegation(from: today, to: today.adding(days: 5), role: "supervisor")
            #expect(try await attempt() == .forbidden)  // another role
            try await delegation(from: today, to: today.adding(days: 5), delegator: "someone-else@example.edu")
            #expect(try await attempt() == .forbidden)  // not from the step's approver
            #expect(try await stepStatus(h, request, 1) == "open")
            try await delegation(from: today, to: today)
            #expect(try await attempt() == .ok)
        }
    }

    /// Every table the API role may read, with the column naming its tenant.
    static let tenantTables: [(table: String, column: String)] = [
        ("tenants", "id"), ("tenant_versions", "tenant_id"), ("tenant_identity", "tenant_id"),
        ("api_keys", "tenant_id"),
        ("requests", "tenant_id"), ("request_steps", "tenant_id"), ("events", "tenant_id"),
        ("delegations", "tenant_id"),
        ("alerts", "tenant_id"), ("action_tokens", "tenant_id"), ("idempotency_keys", "tenant_id"),
        ("deliveries", "tenant_id"),
        ("notification_events", "tenant_id"), ("notification_templates", "tenant_id"),
    ]

    @Test(
        "SQL: as fwa_api for tenant A, B's rows are invisible in every tenant table, cannot be updated, and cannot be written"
    )
    func rowLevelSecurity() async throws {
        try await IntakeHarness.run { h in
            let b = try await seedB(h)
            let a = IntakeHarness.uniqueTenant()
            let ownA = try await h.submit(a, key: try await h.tenant(a))
            // The superuser sees B's rows, so the zeros below are RLS at work.
            let visible = try await h.sql("SELECT count(*) AS n FROM requests WHERE tenant_id = $1", [b.id])
            #expect(try visible.first?.decode("n", as: Int.self) == 1)
            let counts = try await h.pool.tenantTransaction(a) { connection in
                try Self.tenantTables.map { table, column in
                    let other = try connection.query("SELECT count(*) AS n FROM \(table) WHERE \(column) = $1", b.id)
                        .first!.decode("n", as: Int.self)
                    let foreign = try connection.query("SELECT count(*) AS n FROM \(table) WHERE \(column) <> $1", a)
                        .first!.decode("n", as: Int.self)
                    return "\(table):\(other + foreign)"
                }
            }
            #expect(counts == Self.tenantTables.map { "\($0.table):0" })
            let updated = try await h.pool.tenantTransaction(a) { connection in
                try connection.query("UPDATE requests SET status = 'withdrawn' WHERE id = $1::uuid", b.request)
                    .affectedRows
                    + connection.query(
                        "UPDATE request_steps SET status = 'approved' WHERE request_id = $1::uuid", b.request
                    ).affectedRows
                    + connection.query("UPDATE alerts SET acknowledged_at = now() WHERE id = $1::uuid", b.alert)
                    .affectedRows
                    + connection.query("UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1", b.id).affectedRows
            }
            #expect(updated == 0)
            // Writing a row of B from A's transaction violates the policy (42501), as does moving A's row to B.
            let writes = [
                "INSERT INTO events (tenant_id, request_id, actor, action) VALUES ('\(b.id)', '\(b.request)', 'x', 'forged')",
                "INSERT INTO delegations (id, tenant_id, role, delegator_email, delegate_email, valid_from, valid_to) VALUES (gen_random_uuid(), '\(b.id)', 'supervisor', 'a@x.edu', 'b@x.edu', '2030-01-01', '2030-01-02')",
                "UPDATE requests SET tenant_id = '\(b.id)' WHERE id = '\(ownA)'",
            ]
            for statement in writes {
                do {
                    try await h.pool.tenantTransaction(a) { try $0.execute(statement) }
                    Issue.record("fwa_api for \(a) wrote a row of \(b.id): \(statement)")
                } catch let error as PostgresError {
                    // new row violates row-level security policy
                    #expect(error.sqlState == "42501", "\(statement): \(error)")
                }
            }
            // Without a tenant set, fwa_api sees nothing at all.
            let none = try await h.pool.transaction { connection in
                try connection.execute("SET LOCAL ROLE fwa_api")
                return try Self.tenantTables.map {
                    try connection.query("SELECT count(*) AS n FROM \($0.table)").first!.decode("n", as: Int.self)
                }.reduce(0, +)
            }
            #expect(none == 0)
            #expect(try await snapshot(h, b).contains("submitted"))
        }
    }

    @Test("SQL: fwa_api cannot change the schema, switch RLS off, delete, read webhook secrets or grant itself more")
    func leastPrivilege() async throws {
        try await IntakeHarness.run { h in
            let role = try await h.sql(
                "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = 'fwa_api'"
            )
            let flags = try role.first.map { row in
                try ["rolsuper", "rolbypassrls", "rolcreaterole", "rolcreatedb", "rolcanlogin"].map {
                    try row.decode($0, as: Bool.self)
                }
            }
            #expect(flags == [false, false, false, false, false])
            let owned = try await h.sql(
                "SELECT count(*) AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'fwa_api'"
            )
            #expect(
                try owned.first?.decode("n", as: Int.self) == 0, "fwa_api owns a relation, so RLS would not apply to it"
            )
            let refused = [
                "CREATE TABLE public.sec_probe (id int)",
                "CREATE SCHEMA sec_probe",
                "ALTER TABLE requests DISABLE ROW LEVEL SECURITY",
                "ALTER TABLE requests ADD COLUMN sec_probe int",
                "DROP POLICY tenant_isolation ON requests",
                "CREATE POLICY sec_probe ON requests TO fwa_api USING (true)",
                "DROP TABLE requests",
                "TRUNCATE requests",
                "DELETE FROM requests",
                "DELETE FROM events",
                "UPDATE events SET action = 'x'",
                "SELECT * FROM webhook_secrets",
                "SELECT * FROM fwa_schema_migrations",
                "GRANT fwa_api TO PUBLIC",
                "ALTER ROLE fwa_api BYPASSRLS",
                "SET LOCAL row_security = off; SELECT * FROM requests",
                "SET LOCAL row_security = off; SELECT * FROM api_keys",
            ]
            var allowed: [String] = []
            for statement in refused {
                do {
                    try await h.pool.transaction { connection in
                        try connection.execute("SET LOCAL ROLE fwa_api")
                        try connection.query("SELECT set_config('fwa.tenant_id', 'sec-probe', true)")
                        try connection.execute(statement)
                    }
                    allowed.append(statement)
                } catch let error as PostgresError {
                    #expect(error.kind == .server, "\(statement): \(error)")
                }
            }
            #expect(allowed == [], "fwa_api was allowed: \(allowed)")
            // Migration 0005 revokes PostgreSQL's default TEMPORARY privilege from PUBLIC.
            await #expect(throws: PostgresError.self) {
                try await h.pool.transaction { connection in
                    try connection.execute("SET LOCAL ROLE fwa_api")
                    try connection.execute("CREATE TEMP TABLE sec_probe_tmp (id int)")
                }
            }
            let leftover = try await h.sql(
                "SELECT count(*) AS n FROM information_schema.columns WHERE column_name = 'sec_probe' OR table_name = 'sec_probe'"
            )
            #expect(try leftover.first?.decode("n", as: Int.self) == 0)
        }
    }

    @Test("SQL: every table with a tenant_id column has row-level security")
    func everyTenantTableHasRLS() async throws {
        try await IntakeHarness.run { h in
            let rows = try await h.sql(
                """
                SELECT c.table_name AS name FROM information_schema.columns c
                  JOIN pg_class k ON k.relname = c.table_name AND k.relkind = 'r'
                  JOIN pg_namespace n ON n.oid = k.relnamespace AND n.nspname = c.table_schema
                 WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND NOT k.relrowsecurity ORDER BY 1
                """)
            let withoutRLS = try rows.map { try $0.decode("name", as: String.self) }
            #expect(withoutRLS.isEmpty, "tables without RLS: \(withoutRLS)")
        }
    }
}
