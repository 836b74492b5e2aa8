import Foundation
import Metrics
import Policy
import Postgres
import Queue
import Storage

/// Records compliance alerts for a request, once each (by a dedupe key), and asks the notifier
/// to tell each recipient, in the caller's transaction.
struct AlertRaiser {
    let connection: PostgresConnection
    let request: RequestRecord
    static let actor = "compliance-checker"

    /// Raises `finding` as an alert unless it was raised before; returns whether it was new.
    @discardableResult
    func raise(_ finding: ComplianceFinding, dedupeKey: String, from: CivilDate?, to: CivilDate?) throws -> Bool {
        let id = UUID()
        let recipients = finding.recipients.map(\.role)
        let inserted = try connection.query("""
            INSERT INTO alerts (id, tenant_id, request_id, rule_id, kind, jurisdiction, from_date, to_date, recipients, message, dedupe_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11)
            ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING id
            """, id, request.tenantID, request.id, finding.ruleId, finding.kind, finding.jurisdiction, from, to, recipients,
            finding.message, dedupeKey).first != nil
        guard inserted else { return false }
        AuditLog.append(AuditEvent(
            tenantID: request.tenantID, requestID: request.id, actor: Self.actor, action: "alert_raised",
            after: try JSONText(encoding: ["alert_id": id.uuidString.lowercased(), "rule_id": finding.ruleId, "kind": finding.kind,
                                           "jurisdiction": finding.jurisdiction ?? ""])), on: connection)
        let input = request.input
        let job = NotificationJob(
            tenantID: request.tenantID, requestID: request.id, eventKey: "alert:\(id)", kind: "alert",
            recipients: finding.recipients.map { .init(role: $0.role, email: $0.email, webhookURL: $0.webhookURL) },
            data: ["request_id": request.id.uuidString.lowercased(), "alert_id": id.uuidString.lowercased(), "alert_kind": finding.kind,
                   "rule_id": finding.ruleId, "jurisdiction": finding.jurisdiction ?? "", "message": finding.message,
                   "employee_name": input.employee.name, "employee_email": input.employee.email,
                   "arrangement_type": input.arrangementType, "start_date": "\(input.startDate)", "end_date": input.endDate.map { "\($0)" } ?? ""])
        try JobQueue.enqueue(try NewJob(queue: NotificationJob.queue, kind: NotificationJob.jobKind, payload: job,
                                        tenantID: request.tenantID, priority: 50, uniqueKey: "notify:alert:\(id)"), on: connection)
        Counter(label: "fwa_compliance_alerts_total", dimensions: [("tenant", request.tenantID), ("kind", finding.kind)]).increment()
        return true
    }

    /// The findings of a request that call for telling someone.
    static func alertable(_ findings: [ComplianceFinding]) -> [ComplianceFinding] {
        findings.filter { $0.effect == .alert || !$0.recipients.isEmpty }
    }
}
