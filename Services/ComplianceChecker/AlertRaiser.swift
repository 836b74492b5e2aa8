import Foundation
import Jobs
import Metrics
import Policy
import Postgres
import Queue
import Storage
import Workflow

/// Records compliance alerts for a request, once each (by a dedupe key), and asks the notifier
/// to tell each recipient, in the caller's transaction.
struct AlertRaiser {
    let connection: PostgresConnection
    let request: RequestRecord
    static let actor = "compliance-checker"

    /// Raises `finding` as an alert unless it was raised before; returns whether it was new.
    @discardableResult
    func raise(_ finding: ComplianceFinding, dedupeKey: String, from: CivilDate?, to: CivilDate?) throws -> Bool {
        guard
            let id = try AlertStore.raise(
                finding, for: request, dedupeKey: dedupeKey, from: from, to: to, on: connection)
        else { return false }
        let alertID = id.uuidString.lowercased()
        AuditLog.append(
            AuditEvent(
                tenantID: request.tenantID, requestID: request.id, actor: Self.actor, action: "alert_raised",
                after: try JSONText(encoding: [
                    "alert_id": alertID, "rule_id": finding.ruleId, "kind": finding.kind,
                    "jurisdiction": finding.jurisdiction ?? "",
                ])), on: connection)
        let alert: [String: String] = [
            "alert_id": alertID, "alert_kind": finding.kind, "rule_id": finding.ruleId,
            "jurisdiction": finding.jurisdiction ?? "", "message": finding.message,
        ]
        let job = NotificationJob(
            tenantID: request.tenantID, requestID: request.id, eventKey: "alert:\(id)", kind: .alert,
            recipients: finding.recipients,
            data: request.notificationData.merging(alert) { _, new in new })
        try JobQueue.enqueue(
            try NewJob(job, tenantID: request.tenantID, priority: 50, uniqueKey: job.uniqueKey), on: connection)
        Counter(
            label: "fwa_compliance_alerts_total", dimensions: [("tenant", request.tenantID), ("kind", finding.kind)]
        ).increment()
        return true
    }

    /// The findings of a request that call for telling someone.
    static func alertable(_ findings: [ComplianceFinding]) -> [ComplianceFinding] {
        findings.filter { $0.effect == .alert || !$0.recipients.isEmpty }
    }
}
