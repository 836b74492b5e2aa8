import Foundation
import HTTPTypes
import HummingbirdTesting
import Postgres
import Testing

@testable import Intake

/// Submitting, reading and listing requests, with idempotency and the error shapes.
@Suite("Requests over HTTP")
struct RequestTests {
    @Test("submit: 202 with Location, stored as submitted with its chain, audit event and routing job; read it back")
    func submitAndRead() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let response = try await h.send(
                .post, "/v1/tenants/\(tenant)/requests", token: key, json: IntakeHarness.submission())
            #expect(response.status == .accepted)
            let id = try #require(try response.object()["id"] as? String)
            #expect(response.headers[.location] == "/v1/tenants/\(tenant)/requests/\(id)")
            #expect(response.headers[HTTPField.Name("X-Request-ID")!] != nil)
            #expect(try response.object()["status"] as? String == "submitted")
            let jobs = try await h.sql(
                "SELECT kind, payload->>'request_id' AS rid, unique_key FROM fwa_jobs WHERE queue = 'routing' AND tenant_id = $1",
                [tenant])
            #expect(jobs.count == 1)
            #expect(try jobs[0].decode("kind", as: String.self) == "request.submitted")
            #expect(try jobs[0].decode("unique_key", as: String.self) == "submitted:\(id)")
            let read = try await h.send(.get, "/v1/tenants/\(tenant)/requests/\(id)", token: key)
            #expect(read.status == .ok)
            let detail = try read.object()
            #expect(detail["status"] as? String == "submitted")
            #expect(detail["policy_version"] as? Int == 1)
            let chain = try #require(detail["chain"] as? [[String: Any]])
            #expect(chain.map { $0["role"] as? String } == ["supervisor", "department_head"])
            #expect(chain.map { $0["status"] as? String } == ["pending", "pending"])
            #expect(chain.first?["approver_email"] as? String == "bo@example.edu")
            #expect((detail["events"] as? [[String: Any]])?.map { $0["action"] as? String } == ["submitted"])
            #expect((detail["employee"] as? [String: Any])?["email"] as? String == "ana@example.edu")
        }
    }

    @Test("list: filters by status, employee, approver, type and dates, newest first, with cursor pagination")
    func list() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            var ids: [String] = []
            for index in 0..<3 {
                ids.append(
                    try await h.submit(
                        tenant, key: key, IntakeHarness.submission(employee: "e\(index)@example.edu", start: 30 + index)
                    ))
            }
            let first = try await h.send(.get, "/v1/tenants/\(tenant)/requests?limit=2", token: key)
            #expect(first.status == .ok)
            let page1 = try first.object()
            #expect((page1["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[2], ids[1]])
            let cursor = try #require(page1["next_cursor"] as? String)
            let second = try await h.send(.get, "/v1/tenants/\(tenant)/requests?limit=2&cursor=\(cursor)", token: key)
            #expect((try second.object()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[0]])
            #expect(try second.object()["next_cursor"] == nil)
            let byEmployee = try await h.send(
                .get,
                "/v1/tenants/\(tenant)/requests?employee=e1@example.edu&status=submitted&status=routing&arrangement_type=hybrid",
                token: key)
            #expect((try byEmployee.object()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[1]])
            let byApprover = try await h.send(
                .get, "/v1/tenants/\(tenant)/requests?approver=dlc-head@example.edu", token: key)
            #expect((try byApprover.object()["items"] as? [Any])?.count == 3)
            let none = try await h.send(.get, "/v1/tenants/\(tenant)/requests?status=denied", token: key)
            #expect((try none.object()["items"] as? [Any])?.count == 0)
            let badStatus = try await h.send(.get, "/v1/tenants/\(tenant)/requests?status=lost", token: key)
            #expect(badStatus.status == .badRequest)
            let badRange = try await h.send(
                .get, "/v1/tenants/\(tenant)/requests?from=2026-05-01&to=2026-04-01&limit=500", token: key)
            #expect(badRange.status == .unprocessableContent)
            #expect(Set(try badRange.pointers()) == ["#to", "#limit"])
            let badCursor = try await h.send(.get, "/v1/tenants/\(tenant)/requests?cursor=nonsense", token: key)
            #expect(badCursor.status == .badRequest)
            #expect(try badCursor.problemType() == "malformed-request")
        }
    }

    @Test("bad input is 4xx with a precise problem, never 500, and writes nothing")
    func errors() async throws {
        try await IntakeHarness.run(maxBodyBytes: 4096) { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let path = "/v1/tenants/\(tenant)/requests"
            let malformed = try await h.send(.post, path, token: key, json: #"{"employee": "#)
            #expect(malformed.status == .badRequest)
            #expect(try malformed.problemType() == "malformed-request")
            let wrongType = try await h.send(
                .post, path, token: key,
                json: IntakeHarness.submission().replacingOccurrences(
                    of: #""remote_days_per_week": 2"#, with: #""remote_days_per_week": "two""#))
            #expect(wrongType.status == .badRequest)
            #expect(try wrongType.pointers() == ["/remote_days_per_week"])
            let unknown = try await h.send(
                .post, path, token: key, json: IntakeHarness.submission(extra: #", "colour": "blue""#))
            #expect(unknown.status == .badRequest)
            #expect(try unknown.pointers() == ["/colour"])
            let missing = try await h.send(
                .post, path, token: key, json: #"{"employee": {"email": "a@b.edu", "name": "A", "department": "d"}}"#)
            #expect(missing.status == .badRequest)
            let large = try await h.send(
                .post, path, token: key,
                json: IntakeHarness.submission(extra: #", "schedule": "\#(String(repeating: "x", count: 5000))""#))
            #expect(large.status == .contentTooLarge)
            #expect(try large.problemType() == "payload-too-large")
            let badDates = try await h.send(
                .post, path, token: key,
                json: IntakeHarness.submission(extra: #", "end_date": "2020-02-30""#)
                    .replacingOccurrences(of: #""region": "MA""#, with: #""region": "m""#))
            #expect(badDates.status == .unprocessableContent)
            #expect(Set(try badDates.pointers()) == ["/end_date", "/location/region"])
            let endBefore = try await h.send(
                .post, path, token: key, json: IntakeHarness.submission(extra: #", "end_date": "2001-01-01""#))
            #expect(endBefore.status == .unprocessableContent)
            #expect(try endBefore.pointers() == ["/end_date"])
            let ineligible = try await h.send(
                .post, path, token: key,
                json: IntakeHarness.submission(extra: #", "fields": {}"#)
                    .replacingOccurrences(of: #""remote_days_per_week": 2"#, with: #""remote_days_per_week": 6"#)
                    .replacingOccurrences(
                        of: #""no_regular_dependent_care": true"#, with: #""no_regular_dependent_care": false"#))
            #expect(ineligible.status == .unprocessableContent)
            #expect(try ineligible.problemType() == "policy-violation")
            #expect((try ineligible.object()["violations"] as? [[String: Any]])?.count ?? 0 >= 2)
            var text = try await h.send(.post, path, token: key, json: nil, headers: ["Content-Type": "text/plain"])
            #expect(text.status == .unsupportedMediaType || text.status == .badRequest)
            text = try await h.send(
                .post, path, token: key, json: IntakeHarness.submission(), headers: ["Content-Type": "text/plain"])
            #expect(text.status == .unsupportedMediaType)
            let rows = try await h.sql(
                "SELECT (SELECT count(*) FROM requests WHERE tenant_id = $1) + (SELECT count(*) FROM fwa_jobs WHERE tenant_id = $1) AS n",
                [tenant])
            #expect(try rows[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test(
        "Idempotency-Key: a retry returns the first answer and creates nothing; another body is 422 idempotency-key-reuse; overlap is 409"
    )
    func idempotency() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let path = "/v1/tenants/\(tenant)/requests"
            let first = try await h.send(
                .post, path, token: key, json: IntakeHarness.submission(), headers: ["Idempotency-Key": "abc"])
            let again = try await h.send(
                .post, path, token: key, json: IntakeHarness.submission(), headers: ["Idempotency-Key": "abc"])
            #expect(first.status == .accepted)
            #expect(again.status == first.status)
            #expect(again.text == first.text)
            #expect(again.headers[.location] == first.headers[.location])
            let rows = try await h.sql("SELECT count(*) AS n FROM requests WHERE tenant_id = $1", [tenant])
            #expect(try rows[0].decode("n", as: Int.self) == 1)
            let reuse = try await h.send(
                .post, path, token: key, json: IntakeHarness.submission(employee: "zed@example.edu"),
                headers: ["Idempotency-Key": "abc"])
            #expect(reuse.status == .unprocessableContent)
            #expect(try reuse.problemType() == "idempotency-key-reuse")
            let duplicate = try await h.send(.post, path, token: key, json: IntakeHarness.submission(start: 31))
            #expect(duplicate.status == .conflict)
            #expect(try duplicate.problemType() == "duplicate-request")
        }
    }

    @Test(
        "tenant isolation: a key of A gets 404 on B, scope is enforced, and RLS hides B's rows from a query that forgets the filter"
    )
    func isolation() async throws {
        try await IntakeHarness.run { h in
            let a = IntakeHarness.uniqueTenant()
            let b = IntakeHarness.uniqueTenant()
            let keyA = try await h.tenant(a)
            let keyB = try await h.tenant(b)
            let readOnlyA = try await h.key(a, scopes: ["requests:read"])
            let idB = try await h.submit(b, key: keyB)
            let cross = try await h.send(.get, "/v1/tenants/\(b)/requests/\(idB)", token: keyA)
            #expect(cross.status == .notFound)
            #expect(try cross.problemType() == "not-found")
            #expect(try await h.send(.get, "/v1/tenants/\(b)/requests", token: keyA).status == .notFound)
            #expect(try await h.send(.get, "/v1/tenants/\(a)/requests/\(idB)", token: keyA).status == .notFound)
            let scope = try await h.send(
                .post, "/v1/tenants/\(a)/requests", token: readOnlyA, json: IntakeHarness.submission())
            #expect(scope.status == .forbidden)
            #expect(try await h.send(.get, "/v1/tenants/\(a)/requests", token: nil).status == .unauthorized)
            let leaked = try await h.pool.tenantTransaction(a) { connection in
                try connection.query("SELECT count(*) AS n FROM requests").first!.decode("n", as: Int.self)
                    + connection.query("SELECT count(*) AS n FROM request_steps").first!.decode("n", as: Int.self)
                    + connection.query(
                        "SELECT count(*) AS n FROM events WHERE tenant_id <> current_setting('fwa.tenant_id')"
                    ).first!.decode("n", as: Int.self)
            }
            #expect(leaked == 0)
            let own = try await h.pool.tenantTransaction(b) {
                try $0.query("SELECT count(*) AS n FROM requests").first!.decode("n", as: Int.self)
            }
            #expect(own == 1)
        }
    }
}
