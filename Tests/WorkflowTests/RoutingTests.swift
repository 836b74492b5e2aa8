import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Runtime
import Storage
import TestSupport
import Testing

@testable import ApprovalRouter
@testable import ComplianceChecker

/// Runs the router and the compliance checker on their queues for the duration of `body`.
/// Each test uses its own tenant and its workers claim only that tenant's jobs, so tests running
/// in parallel (intake's too) never process each other's requests.
func withWorkflow<T>(pool: PostgresPool, tenant: String, _ body: () async throws -> T) async throws -> T {
    var settings = WorkerSettings()
    settings.pollInterval = .milliseconds(200)
    settings.tenants = [tenant]
    let service = WorkerService(
        name: "workflow-test", settings: settings, pool: pool, conninfo: TestDatabase.conninfo,
        logger: TestDatabase.logger)
    let router = service.worker(queue: StepDecidedJob.queue, handlers: RoutingHandler.all)
    let checker = service.worker(queue: ComplianceCheckJob.queue, handlers: ComplianceHandlers.all)
    let tasks = [Task { try await router.run() }, Task { try await checker.run() }]
    defer { tasks.forEach { $0.cancel() } }
    let value = try await body()
    for task in tasks {
        task.cancel()
        _ = await task.result
    }
    return value
}

func mitRequest(
    type: String = "hybrid", region: String = "MA", country: String = "US", start: CivilDate, end: CivilDate?
) -> ArrangementRequest {
    var employee = Employee(
        email: "ada@example.edu", name: "Ada Lovelace", department: "physics", employeeClass: "administrative")
    employee.coveredByCollectiveAgreement = false
    var input = ArrangementRequest(
        arrangementType: type, employee: employee, supervisorEmail: "grace@example.edu", startDate: start,
        submittedOn: start.adding(days: -20))
    input.endDate = end
    input.remoteDaysPerWeek = type == "hybrid" ? 2 : nil
    input.location = WorkLocation(country: country, region: region)
    input.attestations = ["no_regular_dependent_care": true, "free_from_distractions": true]
    return input
}

@Suite("Approval routing and compliance")
struct RoutingTests {
    let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")

    @Test(
        "MIT: supervisor then department head approve; the request becomes active and its first review is scheduled (EPM 3.1)"
    )
    func approvedPath() async throws {
        let pool = try await TestDatabase.pool()
        let policy = try await applySeedTenant("mit", pool: pool)
        let input = mitRequest(start: today, end: today.adding(months: 6))
        let (id, evaluation) = try await submit(input, policy: policy, pool: pool)
        #expect(evaluation.eligible, "\(evaluation.violations)")
        #expect(evaluation.chain.map(\.role) == ["supervisor", "department_head"])
        try await withWorkflow(pool: pool, tenant: policy.id) {
            #expect(
                try await eventually({ try await stepStatuses(id, pool) }, until: { $0 == ["open", "pending"] }) == [
                    "open", "pending",
                ])
            #expect(try await requestStatus(id, pool) == "pending_approval")
            try await decide(id, step: 0, "approve", by: "grace@example.edu", tenant: policy.id, pool: pool)
            #expect(
                try await eventually({ try await stepStatuses(id, pool) }, until: { $0 == ["approved", "open"] }) == [
                    "approved", "open",
                ])
            try await decide(id, step: 1, "approve", by: "physics-head@example.edu", tenant: policy.id, pool: pool)
            #expect(try await eventually({ try await requestStatus(id, pool) }, until: { $0 == "active" }) == "active")
        }
        let sent = try await notifications(id, pool)
        #expect(
            sent.filter { $0.kind == .stepOpened }.map { $0.recipients.compactMap(\.email) } == [
                ["grace@example.edu"], ["physics-head@example.edu"],
            ])
        #expect(
            sent.first { $0.kind == .stepOpened }?.action == .init(stepIndex: 0, approverEmail: "grace@example.edu"))
        #expect(sent.contains { $0.kind == .decision && $0.data["decision"] == "approved" })
        let review = try await pool.withConnection { connection in
            try connection.query(
                "SELECT unique_key FROM fwa_jobs WHERE queue = 'routing' AND kind = 'request.review_due' AND lower(payload->>'request_id') = $1",
                id.uuidString.lowercased()
            ).rows.map { try $0.decode("unique_key", as: String.self) }
        }
        #expect(review == ["review:\(id):\(today.adding(months: 3))"])
        // Deciding a step cancels its reminder and escalation.
        let open = try await pool.withConnection { connection in
            try connection.query(
                "SELECT count(*) AS n FROM fwa_jobs WHERE queue = 'routing' AND unique_key LIKE $1 AND state = 'available'",
                "escalate:\(id):%"
            ).first!.decode("n", as: Int.self)
        }
        #expect(open == 0)
        let audit = try await TestDatabase.sealedAudit(tenantID: policy.id, pool: pool)
        // policy applied, two steps opened, approved, activated
        #expect(audit.isIntact && audit.count == 5)
    }

    @Test("a denial closes the request, cancels the remaining steps and tells the employee and earlier approvers")
    func deniedPath() async throws {
        let pool = try await TestDatabase.pool()
        let policy = try await applySeedTenant("mit", pool: pool)
        let (id, _) = try await submit(
            mitRequest(start: today.adding(days: 30), end: today.adding(months: 4)), policy: policy, pool: pool)
        try await withWorkflow(pool: pool, tenant: policy.id) {
            _ = try await eventually({ try await stepStatuses(id, pool) }, until: { $0.first == "open" })
            try await decide(id, step: 0, "approve", by: "grace@example.edu", tenant: policy.id, pool: pool)
            _ = try await eventually({ try await stepStatuses(id, pool) }, until: { $0 == ["approved", "open"] })
            try await decide(
                id, step: 1, "deny", by: "physics-head@example.edu", reason: "coverage needed on site",
                tenant: policy.id, pool: pool)
            #expect(try await eventually({ try await requestStatus(id, pool) }, until: { $0 == "denied" }) == "denied")
        }
        let denial = try #require(try await notifications(id, pool).first { $0.kind == .decision })
        #expect(Set(denial.recipients.compactMap(\.email)) == ["ada@example.edu", "grace@example.edu"])
        #expect(denial.data["reason"] == "coverage needed on site")
    }

    @Test("MIT out of state: payroll and the HR officer are alerted once, however often the check runs (P&P 7.10)")
    func outOfStateAlert() async throws {
        let pool = try await TestDatabase.pool()
        let policy = try await applySeedTenant("mit", pool: pool)
        let (id, evaluation) = try await submit(
            mitRequest(region: "NY", start: today, end: today.adding(days: 40)), policy: policy, pool: pool)
        #expect(evaluation.findings.map(\.ruleId).contains("mit-out-of-state"))
        try await withWorkflow(pool: pool, tenant: policy.id) {
            let alerts = try await eventually(
                {
                    try await pool.withConnection {
                        try $0.query("SELECT rule_id, recipients::text AS r FROM alerts WHERE request_id = $1", id).rows
                    }
                }, until: { !$0.isEmpty })
            #expect(try alerts.map { try $0.decode("rule_id", as: String.self) } == ["mit-out-of-state"])
            #expect(try alerts.first?.decode("r", as: String.self) == "{payroll,hr_officer}")
        }
        // Running the check again raises nothing new.
        let again = try await pool.transaction { connection -> Int in
            let request = try #require(try RequestStore.find(id, on: connection))
            return try AlertRaiser.alertable(request.evaluation.findings).filter {
                try AlertRaiser(connection: connection, request: request).raise(
                    $0, dedupeKey: "\($0.ruleId):\(id)", from: nil, to: nil)
            }.count
        }
        #expect(again == 0)
        let alertMail = try await notifications(id, pool).filter { $0.kind == .alert }
        #expect(alertMail.count == 1)
        #expect(
            Set(alertMail.flatMap { $0.recipients.compactMap(\.email) }) == [
                "payroll@example.edu", "hr-officer@example.edu",
            ])
    }

    @Test(
        "Mines classified employee out of state nears the 6-month limit: the daily sweep alerts once (Exhibit 1 §2.5(A))"
    )
    func sweepTemporaryLimit() async throws {
        let pool = try await TestDatabase.pool()
        let policy = try await applySeedTenant("mines", pool: pool)
        let today = BusinessCalendar.localDate(at: Date(), timeZone: policy.timeZone)
        var employee = Employee(
            email: "kit@example.edu", name: "Kit Carson", department: "geology", employeeClass: "classified")
        employee.monthsEmployed = 24
        employee.lastRating = "meets_expectations"
        let start = today.adding(months: -5).adding(days: -25)
        var input = ArrangementRequest(
            arrangementType: "remote_work", employee: employee, supervisorEmail: "sam@example.edu", startDate: start,
            submittedOn: start.adding(days: -30))
        input.endDate = start.adding(months: 6).adding(days: -1)
        input.location = WorkLocation(country: "US", region: "WY")
        input.fields = [
            "alternate_location_conducive": "quiet home office", "job_requirements": "analysis work",
            "department_impact": "none",
        ]
        input.attestations = [
            "no_primary_care_during_work_hours": true, "colorado_permanent_residence": true,
            "temporary_out_of_state_confirmed": true,
        ]
        let (id, evaluation) = try await submit(input, policy: policy, pool: pool)
        #expect(evaluation.eligible, "\(evaluation.violations.map(\.message))")
        let expiry = try #require(evaluation.expiry)
        try #require(expiry.noticeOn <= today && today <= expiry.lastDay)
        try await pool.withConnection { try $0.query("UPDATE requests SET status = 'active' WHERE id = $1", id) }
        let raised = try await pool.transaction { try ComplianceSweepHandler.sweep(id, on: $0, now: Date()) }
        #expect(raised == 1)
        let kinds = try await pool.withConnection {
            try $0.query("SELECT kind FROM alerts WHERE request_id = $1", id).rows.map {
                try $0.decode("kind", as: String.self)
            }
        }
        #expect(kinds == ["temporary_limit"])
        let second = try await pool.transaction { try ComplianceSweepHandler.sweep(id, on: $0, now: Date()) }
        #expect(second == 0)
    }

    @Test("a withdrawal dated in the future waits for its date; one dated today ends the request now")
    func withdrawal() async throws {
        let pool = try await TestDatabase.pool()
        let policy = try await applySeedTenant("mit", pool: pool)
        let (id, _) = try await submit(
            mitRequest(start: today, end: today.adding(months: 6)), policy: policy, pool: pool)
        try await withWorkflow(pool: pool, tenant: policy.id) {
            _ = try await eventually({ try await stepStatuses(id, pool) }, until: { $0.first == "open" })
            try await pool.transaction { connection in
                try connection.query("UPDATE requests SET effective_end_date = $2 WHERE id = $1", id, today)
                let job = EndingJob(requestID: id, action: .withdraw)
                try JobQueue.enqueue(NewJob(job, tenantID: policy.id, uniqueKey: job.uniqueKey), on: connection)
            }
            #expect(
                try await eventually({ try await requestStatus(id, pool) }, until: { $0 == "withdrawn" }) == "withdrawn"
            )
        }
        #expect(try await stepStatuses(id, pool) == ["cancelled", "cancelled"])
    }
}
