import Foundation
import Policy
import Postgres
import Queue
import Storage

/// Writes and reads of requests, their steps and their history, on a connection already scoped
/// to one tenant (`tenantTransaction`).
enum RequestStore {
    /// Stores an eligible request with its chain, its audit event and its routing job, in the
    /// caller's transaction (the workflow contract with the approval-router). Every statement
    /// joins the connection's pipeline: they reach the server together with the COMMIT.
    static func insert(id: UUID, tenantID: String, version: Int, request: ArrangementRequest, evaluation: Evaluation,
                       actor: String, on connection: PostgresConnection) throws {
        let input = try JSONText(encoding: request), outcome = try JSONText(encoding: evaluation)
        connection.pipeline(prepared: """
            INSERT INTO requests (id, tenant_id, policy_version, status, arrangement_type, employee_email, supervisor_email,
                                  start_date, end_date, location_country, location_region, input, evaluation)
            VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7::date, $8::date, $9, $10, $11::jsonb, $12::jsonb)
            """, [id, tenantID, version, request.arrangementType, request.employee.email, request.supervisorEmail,
                  request.startDate.description, request.endDate?.description, request.location?.country,
                  request.location?.region, input, outcome])
        for step in evaluation.chain {
            connection.pipeline(prepared: """
                INSERT INTO request_steps (request_id, idx, tenant_id, step_id, role, approver_email, status, sla_business_days,
                                           due_date, escalation_role, escalation_email, delegable, delegable_to, added_by)
                VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8::date, $9, $10, $11, $12::text[], $13)
                """, [id, step.index, tenantID, step.stepId, step.role, EmailIdentity.lowercased(step.approverEmail ?? ""),
                      step.slaBusinessDays, step.dueDate.description, step.escalationRole, step.escalationEmail.map(EmailIdentity.lowercased),
                      step.delegable, step.delegableTo, step.addedBy])
        }
        AuditLog.append(AuditEvent(
            tenantID: tenantID, requestID: id, actor: actor, action: "submitted",
            after: try JSONText(encoding: ["status": "submitted", "policy_version": String(version)])), on: connection)
        JobQueue.pipeline(try NewJob(
            queue: "routing", kind: "request.submitted", payload: ["request_id": id.uuidString.lowercased()],
            tenantID: tenantID, uniqueKey: "submitted:\(id.uuidString.lowercased())"), on: connection)
    }

    /// The employee's open request of the same type whose dates overlap, if any. Serialized per
    /// employee so that two concurrent submissions cannot both pass (the lock goes out with the
    /// query, in one round trip, and the query's snapshot is taken after the lock is granted).
    static func overlapping(_ request: ArrangementRequest, tenantID: String, on connection: PostgresConnection) throws -> UUID? {
        connection.pipeline(prepared: "SELECT pg_advisory_xact_lock(hashtext('fwa_submit'), hashtext($1))", tenantID + "/" + request.employee.email)
        return try connection.query(prepared: """
            SELECT id FROM requests
             WHERE employee_email = $1 AND arrangement_type = $2
               AND status IN ('submitted', 'routing', 'pending_approval', 'approved', 'active')
               AND (end_date IS NULL OR end_date >= $3::date) AND ($4::date IS NULL OR start_date <= $4::date)
             LIMIT 1
            """, [request.employee.email, request.arrangementType, request.startDate.description, request.endDate?.description])
            .first?.decode("id", as: UUID.self)
    }

    /// The request as the API shows it, or nil when it is not visible.
    static func detail(_ id: UUID, on connection: PostgresConnection) throws -> Components.Schemas.RequestDetail? {
        guard let request = try RequestRecord.find(id, on: connection) else { return nil }
        let alerts = try connection.query("SELECT \(AlertRecord.columns) FROM alerts WHERE request_id = $1 ORDER BY created_at, id", id)
            .rows.map(AlertRecord.init(row:))
        return SchemaMapping.detail(request, steps: try StepRecord.all(of: id, on: connection), alerts: alerts,
                                    events: try EventRecord.all(of: id, on: connection))
    }
}
