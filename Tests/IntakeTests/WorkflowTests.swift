import Foundation
import HTTPTypes
import HummingbirdTesting
import Policy
import Testing

@testable import Intake

/// Decisions, delegations, withdrawal and termination.
@Suite("Decisions and the request's life over HTTP")
struct WorkflowTests {
    @Test("decide: only the step's approver, with a verified token; deny needs a reason; a closed step is 409")
    func decide() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let id = try await h.submit(tenant, key: key)
            let path = "/v1/tenants/\(tenant)/requests/\(id)/decisions"
            let bo = try await IntakeHarness.user("bo@example.edu")
            let closed = try await h.send(
                .post, path, token: key, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": bo])
            #expect(closed.status == .conflict)
            #expect(try closed.problemType() == "step-closed")
            try await h.openStep(id, 0)
            #expect(
                try await h.send(.post, path, token: key, json: #"{"decision": "approve"}"#).status == .unauthorized)
            let forged = try await IntakeHarness.user("bo@example.edu", secret: String(repeating: "z", count: 40))
            #expect(
                try await h.send(
                    .post, path, token: key, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": forged]
                ).status == .unauthorized)
            let expired = try await IntakeHarness.user("bo@example.edu", expiresIn: -60)
            #expect(
                try await h.send(
                    .post, path, token: key, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": expired]
                ).status == .unauthorized)
            let eve = try await IntakeHarness.user("eve@example.edu")
            let stranger = try await h.send(
                .post, path, token: key, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": eve])
            #expect(stranger.status == .forbidden)
            let noReason = try await h.send(
                .post, path, token: key, json: #"{"decision": "deny"}"#, headers: ["X-Acting-User": bo])
            #expect(noReason.status == .unprocessableContent)
            #expect(try noReason.problemType() == "reason-required")
            let badEnum = try await h.send(
                .post, path, token: key, json: #"{"decision": "maybe"}"#, headers: ["X-Acting-User": bo])
            #expect(badEnum.status == .badRequest)
            #expect(try badEnum.pointers() == ["/decision"])
            let approved = try await h.send(
                .post, path, token: key, json: #"{"decision": "approve", "step": 0}"#,
                headers: ["X-Acting-User": bo, "Idempotency-Key": "d1"])
            #expect(approved.status == .ok, "\(approved.text)")
            let chain = try approved.object()["chain"] as? [[String: Any]] ?? []
            #expect(chain.first?["status"] as? String == "approved")
            #expect(chain.first?["decision"] as? String == "approve")
            let replay = try await h.send(
                .post, path, token: key, json: #"{"decision": "approve", "step": 0}"#,
                headers: ["X-Acting-User": bo, "Idempotency-Key": "d1"])
            #expect(replay.status == .ok)
            #expect(replay.text == approved.text)
            let again = try await h.send(
                .post, path, token: key, json: #"{"decision": "approve", "step": 0}"#, headers: ["X-Acting-User": bo])
            #expect(again.status == .conflict)
            let jobs = try await h.sql(
                "SELECT payload->>'step_idx' AS step FROM fwa_jobs WHERE tenant_id = $1 AND kind = 'step.decided'",
                [tenant])
            #expect(try jobs.map { try $0.decode("step", as: String.self) } == ["0"])
            let readOnly = try await h.key(tenant, scopes: ["requests:read"])
            #expect(
                try await h.send(
                    .post, path, token: readOnly, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": bo]
                ).status == .forbidden)
        }
    }

    @Test(
        "delegation: the department head delegates to the administrative officer, who decides; others may not; distinct approvers hold"
    )
    func delegation() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            // The administrative officer is also the supervisor: after approving step 0 they may not decide step 1.
            let id = try await h.submit(tenant, key: key, IntakeHarness.submission(supervisor: "dlc-ao@example.edu"))
            let head = try await IntakeHarness.user("dlc-head@example.edu")
            let ao = try await IntakeHarness.user("dlc-ao@example.edu")
            let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")
            let body =
                #"{"role": "department_head", "delegate_email": "dlc-ao@example.edu", "from": "\#(today)", "to": "\#(today.adding(days: 10))"}"#
            let created = try await h.send(
                .post, "/v1/tenants/\(tenant)/delegations", token: key, json: body, headers: ["X-Acting-User": head])
            #expect(created.status == .created, "\(created.text)")
            let delegationID = try #require(try created.object()["id"] as? String)
            #expect(created.headers[.location] == "/v1/tenants/\(tenant)/delegations/\(delegationID)")
            let bo = try await IntakeHarness.user("bo@example.edu")
            let notHolder = try await h.send(
                .post, "/v1/tenants/\(tenant)/delegations", token: key, json: body, headers: ["X-Acting-User": bo])
            #expect(notHolder.status == .forbidden)
            let wrongDelegate = try await h.send(
                .post, "/v1/tenants/\(tenant)/delegations", token: key,
                json: body.replacingOccurrences(of: "dlc-ao@", with: "random@"), headers: ["X-Acting-User": head])
            #expect(try wrongDelegate.problemType() == "policy-violation")
            let backwards = try await h.send(
                .post, "/v1/tenants/\(tenant)/delegations", token: key,
                json:
                    #"{"role": "department_head", "delegate_email": "dlc-ao@example.edu", "from": "2030-01-02", "to": "2030-01-01"}"#,
                headers: ["X-Acting-User": head])
            #expect(try backwards.pointers() == ["/to"])
            let listed = try await h.send(
                .get, "/v1/tenants/\(tenant)/delegations?delegate=dlc-ao@example.edu&active_on=\(today)", token: key)
            #expect((try listed.object()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [delegationID])
            try await h.openStep(id, 0)
            let path = "/v1/tenants/\(tenant)/requests/\(id)/decisions"
            #expect(
                try await h.send(
                    .post, path, token: key, json: #"{"decision": "approve"}"#, headers: ["X-Acting-User": ao]
                ).status == .ok)
            try await h.openStep(id, 1)
            let twice = try await h.send(
                .post, path, token: key, json: #"{"decision": "approve", "step_id": "department_head"}"#,
                headers: ["X-Acting-User": ao])
            #expect(twice.status == .forbidden)
            #expect(twice.text.contains("different person"))
            // Another request, supervised by someone else: the delegate decides the head's step.
            let other = try await h.submit(tenant, key: key, IntakeHarness.submission(employee: "cy@example.edu"))
            try await h.openStep(other, 1)
            let delegated = try await h.send(
                .post, "/v1/tenants/\(tenant)/requests/\(other)/decisions", token: key,
                json: #"{"decision": "deny", "reason": "Coverage gap in March.", "step": 1}"#,
                headers: ["X-Acting-User": ao])
            #expect(delegated.status == .ok, "\(delegated.text)")
            let step = (try delegated.object()["chain"] as? [[String: Any]])?[1]
            #expect(step?["acting_approver_email"] as? String == "dlc-ao@example.edu")
            #expect(step?["reason"] as? String == "Coverage gap in March.")
            #expect(
                try await h.send(
                    .delete, "/v1/tenants/\(tenant)/delegations/\(delegationID)", token: key,
                    headers: ["X-Acting-User": ao]
                ).status == .forbidden)
            #expect(
                try await h.send(
                    .delete, "/v1/tenants/\(tenant)/delegations/\(delegationID)", token: key,
                    headers: ["X-Acting-User": head]
                ).status == .noContent)
            let after = try await h.send(.get, "/v1/tenants/\(tenant)/delegations", token: key)
            #expect((try after.object()["items"] as? [Any])?.count == 0)
        }
    }

    @Test("withdraw: the employee only, at once before approval (steps cancelled, job enqueued); then 409")
    func withdraw() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let id = try await h.submit(tenant, key: key)
            let path = "/v1/tenants/\(tenant)/requests/\(id)/withdraw"
            let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")
            let body = #"{"effective_date": "\#(today)", "reason": "Plans changed."}"#
            let bo = try await IntakeHarness.user("bo@example.edu")
            #expect(
                try await h.send(.post, path, token: key, json: body, headers: ["X-Acting-User": bo]).status
                    == .forbidden)
            let ana = try await IntakeHarness.user("ana@example.edu")
            let done = try await h.send(.post, path, token: key, json: body, headers: ["X-Acting-User": ana])
            #expect(done.status == .ok, "\(done.text)")
            #expect(try done.object()["status"] as? String == "withdrawn")
            #expect(
                (try done.object()["chain"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "cancelled" }
                    == true)
            let jobs = try await h.sql(
                "SELECT payload->>'action' AS action FROM fwa_jobs WHERE tenant_id = $1 AND kind = 'request.ending'",
                [tenant])
            #expect(try jobs.map { try $0.decode("action", as: String.self) } == ["withdraw"])
            let again = try await h.send(.post, path, token: key, json: body, headers: ["X-Acting-User": ana])
            #expect(try again.problemType() == "invalid-state")
        }
    }

    @Test("terminate: only approved or active, by the supervisor, with the policy's notice period")
    func terminate() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant) { policy in
                let index = policy.arrangementTypes.firstIndex { $0.id == "hybrid" }!
                policy.arrangementTypes[index].notices = [
                    NoticeRule(action: .termination, calendarDays: 30, source: "Test clause 9")
                ]
            }
            let id = try await h.submit(tenant, key: key)
            let path = "/v1/tenants/\(tenant)/requests/\(id)/terminate"
            let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")
            let bo = try await IntakeHarness.user("bo@example.edu")
            let early = #"{"effective_date": "\#(today.adding(days: 5))", "reason": "Team restructuring."}"#
            #expect(
                try await h.send(.post, path, token: key, json: early, headers: ["X-Acting-User": bo]).problemType()
                    == "invalid-state")
            _ = try await h.sql("UPDATE requests SET status = 'active' WHERE id = $1::uuid", [id])
            let ana = try await IntakeHarness.user("ana@example.edu")
            #expect(
                try await h.send(.post, path, token: key, json: early, headers: ["X-Acting-User": ana]).status
                    == .forbidden)
            let noReason = try await h.send(
                .post, path, token: key, json: #"{"effective_date": "\#(today.adding(days: 40))"}"#,
                headers: ["X-Acting-User": bo])
            #expect(noReason.status == .badRequest)
            let notice = try await h.send(.post, path, token: key, json: early, headers: ["X-Acting-User": bo])
            #expect(notice.status == .unprocessableContent)
            #expect(try notice.problemType() == "notice-period")
            let detail = try notice.object()["detail"] as? String ?? ""
            #expect(
                detail.contains("30 calendar days") && detail.contains("\(today.adding(days: 30))")
                    && detail.contains("Test clause 9"))
            let ok = try await h.send(
                .post, path, token: key,
                json: #"{"effective_date": "\#(today.adding(days: 30))", "reason": "Team restructuring."}"#,
                headers: ["X-Acting-User": bo])
            #expect(ok.status == .ok, "\(ok.text)")
            #expect(try ok.object()["status"] as? String == "active")
            #expect(try ok.object()["effective_end_date"] as? String == "\(today.adding(days: 30))")
            #expect((try ok.object()["events"] as? [[String: Any]])?.last?["action"] as? String == "terminated")
        }
    }
}
