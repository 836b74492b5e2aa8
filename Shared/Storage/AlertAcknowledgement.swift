import Foundation
import Policy
import Postgres
import Workflow

/// A recipient's acknowledgement of a compliance alert. Who may acknowledge: a holder of one of
/// its recipient roles (resolved from the role directory of the request's policy version, for the
/// employee's department), or a person holding a live delegation of that role from its holder.
/// Never the employee the alert is about.
public struct AlertAcknowledgement: Sendable {
    public var alertID: UUID
    public var tenantID: String
    public var actor: String
    public var note: String?

    public init(alertID: UUID, tenantID: String, actor: String, note: String?) {
        self.alertID = alertID
        self.tenantID = tenantID
        self.actor = actor
        self.note = note
    }

    /// Acknowledges in the caller's transaction, with its audit event; returns the alert as stored.
    public func apply(engines: PolicyEngineCache, now: Date = Date(), on connection: PostgresConnection) throws
        -> AlertRecord
    {
        guard let alert = try AlertStore.lock(alertID, on: connection) else {
            throw WorkflowError.notFound("The alert")
        }
        try authorize(alert, engines: engines, now: now, on: connection)
        guard alert.status == .open else {
            throw WorkflowError.alreadyAcknowledged(
                "The alert was already acknowledged by \(alert.acknowledgedBy ?? "someone") at \(alert.acknowledgedAt.map { "\($0)" } ?? "an earlier time")."
            )
        }
        let updated = try AlertStore.acknowledge(alertID, by: actor, note: note, on: connection)
        let id = alertID.uuidString.lowercased()
        try AuditLog.append(
            AuditEvent(
                tenantID: tenantID, requestID: alert.requestID, actor: actor, action: "alert_acknowledged",
                before: JSONText(encoding: ["alert": id, "status": AlertStatus.open.rawValue]),
                after: JSONText(encoding: [
                    "alert": id, "status": AlertStatus.acknowledged.rawValue, "note": note ?? "",
                ])),
            on: connection)
        return updated
    }

    /// Throws `forbidden` naming the roles when `actor` may not acknowledge `alert`.
    func authorize(_ alert: AlertRecord, engines: PolicyEngineCache, now: Date, on connection: PostgresConnection)
        throws
    {
        let request = try alert.requestID.flatMap { try RequestStore.find($0, on: connection) }
        let resolved: PolicyEngine?
        if let request {
            resolved = try engines.engine(tenantID: tenantID, version: request.policyVersion, on: connection)
        } else {
            resolved = try engines.active(tenantID: tenantID, on: connection)?.engine
        }
        guard let engine = resolved else { throw WorkflowError.notFound("The alert's policy") }
        let person = PolicyEngine.identity(actor)
        if let request, PolicyEngine.identity(request.input.employee.email) == person {
            throw WorkflowError.forbidden(
                "\(actor) is the employee this alert is about; its recipients acknowledge it.")
        }
        let department = request?.input.employee.department ?? ""
        let today = TenantClock(policy: engine.policy, now: now).today
        for role in alert.recipients {
            guard
                let holder = engine.approver(
                    forRole: role, department: department, supervisorEmail: request?.input.supervisorEmail)
            else { continue }
            if PolicyEngine.identity(holder) == person { return }
            if try DelegationStore.holds(
                delegate: person, role: role, delegator: PolicyEngine.identity(holder), on: today,
                on: connection)
            {
                return
            }
        }
        let roles = alert.recipients.joined(separator: ", ")
        throw WorkflowError.forbidden(
            "\(actor) may not acknowledge this alert: it goes to the \(roles) role(s), and \(actor) holds none of them (nor a delegation of one) for this employee's department."
        )
    }
}
