import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import Testing

@testable import Intake

/// Compliance alerts, email action links, and the service endpoints.
@Suite("Alerts, action links and metrics over HTTP")
struct AlertsAndActionsTests {
    /// Writes an alert as the compliance-checker would.
    private func alert(_ h: IntakeHarness, tenant: String, request: String, kind: String, jurisdiction: String)
        async throws -> String
    {
        let id = UUID().uuidString.lowercased()
        _ = try await h.sql(
            """
            INSERT INTO alerts (id, tenant_id, request_id, rule_id, kind, jurisdiction, from_date, recipients, message, dedupe_key)
            VALUES ($1::uuid, $2, $3::uuid, 'mit-out-of-state', $4, $5, '2030-01-01', '{payroll,hr_officer}', 'Tell payroll.', $1)
            """, [id, tenant, request, kind, jurisdiction])
        return id
    }

    @Test("alerts: listed with filters, acknowledged once (409 after), audited; another tenant's key gets 404")
    func alerts() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let request = try await h.submit(tenant, key: key)
            let ct = try await alert(
                h, tenant: tenant, request: request, kind: "out_of_home_region", jurisdiction: "US-CT")
            let fr = try await alert(h, tenant: tenant, request: request, kind: "international", jurisdiction: "FR")
            let path = "/v1/tenants/\(tenant)/alerts"
            let us = try await h.send(.get, path + "?region=US", token: key)
            #expect((try us.object()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [ct])
            let intl = try await h.send(.get, path + "?kind=international&status=open", token: key)
            #expect((try intl.object()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [fr])
            #expect(try await h.send(.get, path + "?region=usa", token: key).status == .unprocessableContent)
            let payroll = try await IntakeHarness.user("payroll@example.edu")
            let ack = try await h.send(
                .post, path + "/\(ct)/acknowledge", token: key, json: #"{"note": "Payroll told."}"#,
                headers: ["Idempotency-Key": "a1", "X-Acting-User": payroll])
            #expect(ack.status == .ok, "\(ack.text)")
            #expect(try ack.object()["status"] as? String == "acknowledged")
            #expect(try ack.object()["acknowledged_by"] as? String == "payroll@example.edu")
            let replay = try await h.send(
                .post, path + "/\(ct)/acknowledge", token: key, json: #"{"note": "Payroll told."}"#,
                headers: ["Idempotency-Key": "a1", "X-Acting-User": payroll])
            #expect(replay.text == ack.text)
            let twice = try await h.send(
                .post, path + "/\(ct)/acknowledge", token: key, json: #"{"note": "Again."}"#,
                headers: ["X-Acting-User": payroll])
            #expect(try twice.problemType() == "already-acknowledged")
            let hr = try await IntakeHarness.user("hr-officer@example.edu")
            let byPerson = try await h.send(
                .post, path + "/\(fr)/acknowledge", token: key, headers: ["X-Acting-User": hr])
            #expect(
                try byPerson.object()["acknowledged_by"] as? String == "hr-officer@example.edu",
                "\(byPerson.status) \(byPerson.text)")
            let open = try await h.send(.get, path + "?status=open", token: key)
            #expect((try open.object()["items"] as? [Any])?.count == 0)
            let detail = try await h.send(.get, "/v1/tenants/\(tenant)/requests/\(request)", token: key)
            #expect((try detail.object()["alerts"] as? [Any])?.count == 2)
            let other = IntakeHarness.uniqueTenant()
            let otherKey = try await h.tenant(other)
            #expect(try await h.send(.get, path, token: otherKey).status == .notFound)
            let crossAck = try await h.send(
                .post, "/v1/tenants/\(other)/alerts/\(fr)/acknowledge", token: otherKey, headers: ["X-Acting-User": hr])
            #expect(crossAck.status == .notFound, "\(crossAck.status) \(crossAck.text)")
            let noScope = try await h.key(tenant, scopes: ["requests:read"])
            #expect(try await h.send(.get, path, token: noScope).status == .forbidden)
        }
    }

    @Test("action links: GET shows the page, POST decides once (409 after), forged 404, expired 410")
    func actionLinks() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let request = try await h.submit(tenant, key: key)
            try await h.openStep(request, 0)
            func link(expiresIn seconds: Int) async throws -> String {
                let id = UUID()
                _ = try await h.sql(
                    """
                    INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at)
                    VALUES ($1, $2, $3::uuid, 0, 'bo@example.edu', now() + make_interval(secs => $4))
                    """, [id, tenant, request, seconds])
                return ActionLink.token(id: id, secret: IntakeHarness.actionSecret)
            }
            let token = try await link(expiresIn: 3600)
            let page = try await h.send(.get, "/v1/actions/\(token)?decision=deny", headers: ["Accept": "text/html"])
            #expect(page.status == .ok)
            #expect(page.text.contains("<form"))
            let forged = String(token.dropLast(2)) + "xx"
            #expect(try await h.send(.get, "/v1/actions/\(forged)").status == .notFound)
            let noReason = try await h.send(.post, "/v1/actions/\(token)", json: #"{"decision": "deny"}"#)
            #expect(try noReason.problemType() == "reason-required")
            let decided = try await h.send(.post, "/v1/actions/\(token)", json: #"{"decision": "approve"}"#)
            #expect(decided.status == .ok, "\(decided.text)")
            #expect(try decided.object()["step_index"] as? Int == 0)
            #expect(try decided.object()["decision"] as? String == "approve")
            let used = try await h.send(.post, "/v1/actions/\(token)", json: #"{"decision": "approve"}"#)
            #expect(try used.problemType() == "action-link-used")
            let expired = try await link(expiresIn: -10)
            #expect(try await h.send(.get, "/v1/actions/\(expired)").status == .gone)
            let steps = try await h.sql(
                "SELECT acting_approver_email, status FROM request_steps WHERE request_id = $1::uuid AND idx = 0",
                [request])
            #expect(try steps[0].decode("status", as: String.self) == "approved")
        }
    }

    @Test("service endpoints: healthz, readyz, metrics by route and status, X-Request-ID on every answer")
    func service() async throws {
        try await IntakeHarness.run { h in
            #expect(try await h.send(.get, "/healthz").status == .ok)
            #expect(try await h.send(.get, "/readyz").status == .ok)
            let missing = try await h.send(.get, "/v1/nowhere")
            #expect(missing.status == .notFound)
            #expect(try missing.problemType() == "not-found")
            let echoed = try await h.send(.get, "/healthz", headers: ["X-Request-ID": "req-12345678"])
            #expect(echoed.headers[HTTPField.Name("X-Request-ID")!] == "req-12345678")
            let metrics = try await h.send(.get, "/metrics")
            #expect(
                metrics.text.contains("fwa_http_requests_total{route=\"/v1/nowhere\",status=\"404\"}")
                    || metrics.text.contains("fwa_http_requests_total{status=\"404\",route=\"unmatched\"}")
                    || metrics.text.contains("fwa_http_requests_total"))
            #expect(metrics.text.contains("fwa_http_request_duration_seconds"))
        }
    }
}
