import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Workflow

/// Storing an eligible request: its row, its chain, its audit event and its routing job, in the
/// caller's transaction (the workflow contract with the approval-router).
public enum RequestSubmission {
    /// Stores the request; every statement joins the connection's pipeline and reaches the server
    /// together with the COMMIT.
    public static func insert(
        id: UUID, tenantID: String, version: Int, request: ArrangementRequest, evaluation: Evaluation,
        actor: String, on connection: PostgresConnection
    ) throws {
        let input = try JSONText(encoding: request)
        let outcome = try JSONText(encoding: evaluation)
        connection.pipeline(
            prepared: """
                INSERT INTO requests (id, tenant_id, policy_version, status, arrangement_type, employee_email, supervisor_email,
                                      start_date, end_date, location_country, location_region, input, evaluation)
                VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7::date, $8::date, $9, $10, $11::jsonb, $12::jsonb)
                """,
            [
                id, tenantID, version, request.arrangementType, request.employee.email, request.supervisorEmail,
                request.startDate.description, request.endDate?.description, request.location?.country,
                request.location?.region, input, outcome,
            ])
        for step in evaluation.chain {
            connection.pipeline(
                prepared: """
                    INSERT INTO request_steps (request_id, idx, tenant_id, step_id, role, approver_email, status, sla_business_days,
                                               due_date, escalation_role, escalation_email, delegable, delegable_to, added_by)
                    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8::date, $9, $10, $11, $12::text[], $13)
                    """,
                [
                    id, step.index, tenantID, step.stepId, step.role, PolicyEngine.identity(step.approverEmail ?? ""),
                    step.slaBusinessDays, step.dueDate.description, step.escalationRole,
                    step.escalationEmail.map(PolicyEngine.identity), step.delegable, step.delegableTo, step.addedBy,
                ])
        }
        AuditLog.append(
            AuditEvent(
                tenantID: tenantID, requestID: id, actor: actor, action: "submitted",
                after: try JSONText(encoding: [
                    "status": RequestStatus.submitted.rawValue, "policy_version": String(version),
                ])),
            on: connection)
        let job = RequestSubmittedJob(requestID: id)
        JobQueue.pipeline(try NewJob(job, tenantID: tenantID, uniqueKey: job.uniqueKey), on: connection)
    }

    /// The employee's open request of the same type whose dates overlap, if any. Serialized per
    /// employee so that two concurrent submissions cannot both pass (the lock goes out with the
    /// query, in one round trip, and the query's snapshot is taken after the lock is granted).
    public static func overlapping(_ request: ArrangementRequest, tenantID: String, on connection: PostgresConnection)
        throws -> UUID?
    {
        connection.pipeline(
            prepared: "SELECT pg_advisory_xact_lock(hashtext('fwa_submit'), hashtext($1))",
            tenantID + "/" + request.employee.email)
        let open = RequestStatus.inApproval.union(RequestStatus.granted).map(\.rawValue).sorted()
        return try connection.query(
            prepared: """
                SELECT id FROM requests
                 WHERE employee_email = $1 AND arrangement_type = $2 AND status = ANY($5::text[])
                   AND (end_date IS NULL OR end_date >= $3::date) AND ($4::date IS NULL OR start_date <= $4::date)
                 LIMIT 1
                """,
            [
                request.employee.email, request.arrangementType, request.startDate.description,
                request.endDate?.description, open,
            ]
        )
        .first?.decode("id", as: UUID.self)
    }
}
