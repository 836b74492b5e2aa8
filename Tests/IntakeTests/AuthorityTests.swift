import Foundation
import HTTPTypes
import HummingbirdTesting
import Policy
import Storage
import Testing

@testable import Intake

/// Who may decide, acknowledge and replay, tested from outside over HTTP as each person and as
/// someone without the role (issue: nobody approves their own request).
@Suite("Authority over HTTP")
struct AuthorityTests {
    static let employee = "ana@example.edu"

    private func today(plus days: Int) -> String {
        "\(BusinessCalendar.localDate(at: Date().addingTimeInterval(Double(days) * 86_400), timeZone: "America/New_York"))"
    }

    @Test(
        "a submission naming the employee as their own supervisor is refused (422, /supervisor_email) and stores nothing"
    )
    func ownSupervisor() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            for supervisor in ["ana@example.edu", "ANA@Example.edu"] {
                let body = IntakeHarness.submission(employee: Self.employee, supervisor: supervisor)
                let refused = try await h.send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: body)
                #expect(refused.status == .unprocessableContent, "\(refused.text)")
                #expect(try refused.problemType() == "policy-violation")
                #expect(try refused.pointers() == ["/supervisor_email"])
            }
            let stored = try await h.sql("SELECT count(*)::int AS n FROM requests WHERE tenant_id = $1", [tenant])
            #expect(try stored[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test(
        "the employee cannot decide a step of their own request: as its approver, through an action link, or as a delegate"
    )
    func employeeNeverDecides() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            // Ana also holds the administrative officer role of her department, so she may receive
            // a delegation of the department head's role.
            let key = try await h.tenant(tenant) { policy in
                policy.roles = policy.roles.map { role in
                    var role = role
                    if role.key == "administrative_officer" { role.departments?["chemistry"] = AuthorityTests.employee }
                    return role
                }
            }
            let request = try await h.submit(tenant, key: key)
            let ana = try await IntakeHarness.user(Self.employee)
            // A step whose stored approver is the employee (a request stored before this rule).
            _ = try await h.sql(
                "UPDATE request_steps SET approver_email = $2 WHERE request_id = $1::uuid AND idx = 0",
                [request, Self.employee])
            try await h.openStep(request, 0)
            let decisions = "/v1/tenants/\(tenant)/requests/\(request)/decisions"
            let own = try await h.send(
                .post, decisions, token: key, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": ana])
            #expect(own.status == .forbidden, "\(own.text)")
            #expect(own.text.contains("own request"))
            let id = UUID()
            _ = try await h.sql(
                """
                INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at)
                VALUES ($1, $2, $3::uuid, 0, $4, now() + interval '1 hour')
                """, [id, tenant, request, Self.employee])
            let link = ActionLink.token(id: id, secret: IntakeHarness.actionSecret)
            let viaLink = try await h.send(.post, "/v1/actions/\(link)", json: #"{"decision": "approve"}"#)
            #expect(viaLink.status == .forbidden, "\(viaLink.text)")
            let unused = try await h.sql("SELECT used_at IS NULL AS unused FROM action_tokens WHERE id = $1", [id])
            #expect(try unused[0].decode("unused", as: Bool.self))

            // As a delegate: the department head delegates the role to Ana; step 1 opens.
            let head = try await IntakeHarness.user("dlc-head@example.edu")
            let delegation = try await h.send(
                .post, "/v1/tenants/\(tenant)/delegations", token: key,
                json: """
                    {"role": "department_head", "delegate_email": "\(Self.employee)", "department": "chemistry",
                     "from": "\(today(plus: -1))", "to": "\(today(plus: 30))"}
                    """, headers: ["X-Acting-User": head])
            #expect(delegation.status == .created, "\(delegation.text)")
            _ = try await h.sql(
                "UPDATE request_steps SET approver_email = 'bo@example.edu', status = 'approved', decision = 'approve', decided_at = now() WHERE request_id = $1::uuid AND idx = 0",
                [request])
            try await h.openStep(request, 1)
            let asDelegate = try await h.send(
                .post, decisions, token: key, json: #"{"step": 1, "decision": "approve"}"#,
                headers: ["X-Acting-User": ana])
            #expect(asDelegate.status == .forbidden, "\(asDelegate.text)")
            let steps = try await h.sql(
                "SELECT status FROM request_steps WHERE request_id = $1::uuid AND idx = 1", [request])
            #expect(try steps[0].decode("status", as: String.self) == "open")
            // The department head still decides.
            let byHead = try await h.send(
                .post, decisions, token: key, json: #"{"step": 1, "decision": "approve"}"#,
                headers: ["X-Acting-User": head])
            #expect(byHead.status == .ok, "\(byHead.text)")
        }
    }

    @Test("another person replaying someone's Idempotency-Key with the same API key does not receive their answer")
    func idempotencyCarriesTheActor() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let request = try await h.submit(tenant, key: key)
            try await h.openStep(request, 0)
            let decisions = "/v1/tenants/\(tenant)/requests/\(request)/decisions"
            let bo = try await IntakeHarness.user("bo@example.edu")
            let mallory = try await IntakeHarness.user("mallory@example.edu")
            let first = try await h.send(
                .post, decisions, token: key, json: #"{"decision": "approve"}"#,
                headers: ["X-Acting-User": bo, "Idempotency-Key": "k-1"])
            #expect(first.status == .ok, "\(first.text)")
            let again = try await h.send(
                .post, decisions, token: key, json: #"{"decision": "approve"}"#,
                headers: ["X-Acting-User": bo, "Idempotency-Key": "k-1"])
            #expect(again.status == .ok && again.text == first.text)
            let replayed = try await h.send(
                .post, decisions, token: key, json: #"{"decision": "approve"}"#,
                headers: ["X-Acting-User": mallory, "Idempotency-Key": "k-1"])
            #expect(replayed.status != .ok, "\(replayed.text)")
            #expect([.forbidden, .conflict].contains(replayed.status), "\(replayed.status) \(replayed.text)")
        }
    }

    @Test(
        "an alert is acknowledged only by a holder of its recipient roles or their delegate; not anonymously, not by others or the employee"
    )
    func acknowledgement() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let request = try await h.submit(tenant, key: key)
            func alert(_ recipients: String) async throws -> String {
                let id = UUID().uuidString.lowercased()
                _ = try await h.sql(
                    """
                    INSERT INTO alerts (id, tenant_id, request_id, rule_id, kind, jurisdiction, recipients, message, dedupe_key)
                    VALUES ($1::uuid, $2, $3::uuid, 'mit-out-of-state', 'out_of_home_region', 'US-CT', $4::text[], 'Tell payroll.', $1)
                    """, [id, tenant, request, recipients])
                return id
            }
            let payrollAlert = try await alert("{payroll,hr_officer}")
            let path = "/v1/tenants/\(tenant)/alerts/\(payrollAlert)/acknowledge"
            let anonymous = try await h.send(.post, path, token: key, json: #"{"note": "seen"}"#)
            #expect(anonymous.status == .unauthorized, "\(anonymous.text)")
            for outsider in ["mallory@example.edu", Self.employee, "bo@example.edu"] {
                let user = try await IntakeHarness.user(outsider)
                let refused = try await h.send(
                    .post, path, token: key, json: #"{"note": "seen"}"#, headers: ["X-Acting-User": user])
                #expect(refused.status == .forbidden, "\(outsider): \(refused.status) \(refused.text)")
            }
            let open = try await h.sql("SELECT status FROM alerts WHERE id = $1::uuid", [payrollAlert])
            #expect(try open[0].decode("status", as: String.self) == "open")
            let payroll = try await IntakeHarness.user("Payroll@example.edu")
            let done = try await h.send(
                .post, path, token: key, json: #"{"note": "Payroll told."}"#, headers: ["X-Acting-User": payroll])
            #expect(done.status == .ok, "\(done.text)")
            #expect(try done.object()["acknowledged_by"] as? String == "payroll@example.edu")

            // A delegate of a recipient role: the department head's role delegated to the administrative officer.
            let headAlert = try await alert("{department_head}")
            let head = try await IntakeHarness.user("dlc-head@example.edu")
            let officer = try await IntakeHarness.user("dlc-ao@example.edu")
            let headPath = "/v1/tenants/\(tenant)/alerts/\(headAlert)/acknowledge"
            let before = try await h.send(.post, headPath, token: key, headers: ["X-Acting-User": officer])
            #expect(before.status == .forbidden, "\(before.text)")
            let delegation = try await h.send(
                .post, "/v1/tenants/\(tenant)/delegations", token: key,
                json: """
                    {"role": "department_head", "delegate_email": "dlc-ao@example.edu", "department": "chemistry",
                     "from": "\(today(plus: -1))", "to": "\(today(plus: 30))"}
                    """, headers: ["X-Acting-User": head])
            #expect(delegation.status == .created, "\(delegation.text)")
            let after = try await h.send(.post, headPath, token: key, headers: ["X-Acting-User": officer])
            #expect(after.status == .ok, "\(after.text)")
        }
    }
}
