import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Storage
import TestSupport

/// A seed tenant's policy under a fresh id, applied.
func applySeedTenant(_ file: String, pool: PostgresPool) async throws -> TenantPolicy {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    var policy = try TenantFile.load(contentsOf: root.appendingPathComponent("deploy/tenants/\(file).yaml")).get()
    policy.id = "\(file)-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    _ = try await pool.transaction { [policy] in
        try TenantStore.apply(policy, source: "\(file).yaml", actor: "test", on: $0)
    }
    return policy
}

/// Stores an evaluated request as intake does: the request, its pending steps, the routing job.
func submit(_ input: ArrangementRequest, policy: TenantPolicy, pool: PostgresPool) async throws -> (
    id: UUID, evaluation: Evaluation
) {
    let evaluation = PolicyEngine(policy: policy).evaluate(input)
    let id = UUID()
    try await pool.transaction { connection in
        try connection.query(
            """
            INSERT INTO requests (id, tenant_id, policy_version, status, arrangement_type, employee_email, supervisor_email,
                                  start_date, end_date, location_country, location_region, input, evaluation)
            VALUES ($1, $2, 1, 'submitted', $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
            """, id, policy.id, input.arrangementType, input.employee.email, input.supervisorEmail, input.startDate,
            input.endDate,
            input.location?.country, input.location?.region, try JSONText(encoding: input),
            try JSONText(encoding: evaluation))
        for step in evaluation.chain {
            try connection.query(
                """
                INSERT INTO request_steps (request_id, idx, tenant_id, step_id, role, approver_email, status, sla_business_days,
                                           due_date, escalation_role, escalation_email, delegable, added_by)
                VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11, $12)
                """, id, step.index, policy.id, step.stepId, step.role, step.approverEmail ?? "", step.slaBusinessDays,
                step.dueDate,
                step.escalationRole, step.escalationEmail, step.delegable, step.addedBy)
        }
        let job = RequestSubmittedJob(requestID: id)
        try JobQueue.enqueue(NewJob(job, tenantID: policy.id, uniqueKey: job.uniqueKey), on: connection)
    }
    return (id, evaluation)
}

/// Decides a step as intake does, and enqueues `step.decided`.
func decide(
    _ id: UUID, step: Int, _ decision: String, by email: String, reason: String? = nil, tenant: String,
    pool: PostgresPool
) async throws {
    try await pool.transaction { connection in
        let changed = try connection.query(
            """
            UPDATE request_steps SET status = $3, decision = $4, reason = $5, decided_at = now(), acting_approver_email = $6
             WHERE request_id = $1 AND idx = $2 AND status = 'open'
            """, id, step, decision == "approve" ? "approved" : "denied", decision, reason, email
        ).affectedRows
        guard changed == 1 else { throw WorkflowTestError.stepNotOpen(step) }
        let job = StepDecidedJob(requestID: id, stepIndex: step)
        try JobQueue.enqueue(NewJob(job, tenantID: tenant, uniqueKey: job.uniqueKey), on: connection)
    }
}

enum WorkflowTestError: Error { case stepNotOpen(Int) }

/// Polls `read` until it returns a value satisfying `condition`, or the deadline passes.
func eventually<T: Sendable>(
    timeout: Duration = .seconds(20), _ read: @Sendable () async throws -> T, until condition: (T) -> Bool
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    var value = try await read()
    while !condition(value), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(25))
        value = try await read()
    }
    return value
}

func requestStatus(_ id: UUID, _ pool: PostgresPool) async throws -> String {
    try await pool.withConnection {
        try $0.query("SELECT status FROM requests WHERE id = $1", id).first!.decode("status")
    }
}

func stepStatuses(_ id: UUID, _ pool: PostgresPool) async throws -> [String] {
    try await pool.withConnection {
        try $0.query("SELECT status FROM request_steps WHERE request_id = $1 ORDER BY idx", id).rows.map {
            try $0.decode("status")
        }
    }
}

/// The `notification.send` jobs enqueued for a request, as (kind, recipient emails).
func notifications(_ id: UUID, _ pool: PostgresPool) async throws -> [NotificationJob] {
    try await pool.withConnection { connection in
        try connection.query(
            "SELECT payload::text AS p FROM fwa_jobs WHERE queue = 'notify' AND lower(payload->>'request_id') = $1 ORDER BY id",
            id.uuidString.lowercased()
        ).rows.map { try $0.decode("p", as: JSONText.self).decode(NotificationJob.self) }
    }
}
