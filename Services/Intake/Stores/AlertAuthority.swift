import Foundation
import Policy
import Postgres
import Storage

/// Who may acknowledge an alert: a holder of one of its recipient roles (resolved from the role
/// directory of the request's policy version, for the employee's department), or a person holding
/// a live delegation of that role from its holder. Never the employee the alert is about.
struct AlertAuthority: Sendable {
    var tenantID: String
    var actor: String

    /// Throws `403` naming the roles when `actor` may not acknowledge `alert`.
    func check(_ alert: AlertRecord, engines: PolicyEngineCache, on connection: PostgresConnection) throws {
        let request = try alert.requestID.flatMap { try RequestRecord.find($0, on: connection) }
        let resolved: PolicyEngine?
        if let request {
            resolved = try engines.engine(tenantID: tenantID, version: request.policyVersion, on: connection)
        } else {
            resolved = try engines.active(tenantID: tenantID, on: connection)?.engine
        }
        guard let engine = resolved else { throw APIProblem.notFound("The alert's policy") }
        let person = PolicyEngine.identity(actor)
        if let request, PolicyEngine.identity(request.input.employee.email) == person {
            throw APIProblem(.forbidden, "\(actor) is the employee this alert is about; its recipients acknowledge it.")
        }
        let department = request?.input.employee.department ?? ""
        let today = IntakeAPI.today(engine)
        for role in alert.recipients {
            guard let holder = engine.approver(forRole: role, department: department, supervisorEmail: request?.input.supervisorEmail)
            else { continue }
            if PolicyEngine.identity(holder) == person { return }
            if try DelegationRecord.holds(delegate: person, role: role, delegator: PolicyEngine.identity(holder), on: today, on: connection) {
                return
            }
        }
        let roles = alert.recipients.joined(separator: ", ")
        throw APIProblem(.forbidden, "\(actor) may not acknowledge this alert: it goes to the \(roles) role(s), and \(actor) holds none of them (nor a delegation of one) for this employee's department.")
    }
}
