import Foundation
import Jobs
import Metrics
import Policy
import Postgres
import Queue
import Storage
import Workflow

/// Carries out the approval flow's actions on one request, in order, on the connection of the
/// transaction that completes the job. Writes and jobs join the connection's pipeline.
struct FlowExecutor {
    let connection: PostgresConnection
    let request: RequestRecord
    let clock: TenantClock
    static let actor = "approval-router"

    func perform(_ actions: [FlowAction]) throws {
        for action in actions { try perform(action) }
    }

    private func perform(_ action: FlowAction) throws {
        let id = request.id
        let tenant = request.tenantID
        switch action {
        case .setStatus(let status, let reason):
            RequestStore.setStatus(id, to: status, reason: reason, on: connection)
        case .openStep(let index, let due):
            RequestStore.openStep(id, index: index, dueDate: due, on: connection)
        case .skipStep(let index):
            RequestStore.skipStep(id, index: index, on: connection)
        case .cancelUndecidedSteps:
            RequestStore.cancelUndecidedSteps(id, on: connection)
        case .cancelStepTimers(let index):
            let keys = [
                StepReminderJob(requestID: id, stepIndex: index).uniqueKey,
                StepEscalationJob(requestID: id, stepIndex: index).uniqueKey,
            ]
            try JobQueue.cancel(queue: StepReminderJob.queue, uniqueKeys: keys, on: connection)
        case .checkCompliance:
            let job = ComplianceCheckJob(requestID: id)
            JobQueue.pipeline(try NewJob(job, tenantID: tenant, uniqueKey: job.uniqueKey), on: connection)
        case .schedule(let timer, let date, let hour):
            JobQueue.pipeline(try timerJob(timer, runAt: clock.instant(date, hour: hour)), on: connection)
        case .audit(let name, let after):
            AuditLog.append(
                AuditEvent(
                    tenantID: tenant, requestID: id, actor: Self.actor, action: name,
                    after: try JSONText(encoding: after)), on: connection)
        case .notify(let notice):
            let job = NotificationJob(
                tenantID: tenant, requestID: id, eventKey: notice.eventKey, kind: notice.kind,
                recipients: notice.recipients,
                data: request.notificationData.merging(notice.data) { _, new in new }, action: notice.action)
            JobQueue.pipeline(try NewJob(job, tenantID: tenant, priority: 50, uniqueKey: job.uniqueKey), on: connection)
        case .countEscalation:
            Counter(label: "fwa_sla_escalations_total", dimensions: [("tenant", tenant)]).increment()
        case .waitUntil(let date):
            let seconds = Int64(clock.instant(date).timeIntervalSince(clock.now))
            throw JobError.snooze(.seconds(max(1, seconds)))
        }
    }

    /// The routing job a timer runs, once per timer and request.
    private func timerJob(_ timer: FlowTimer, runAt: Date) throws -> NewJob {
        let id = request.id
        switch timer {
        case .reminder(let index): return try scheduled(StepReminderJob(requestID: id, stepIndex: index), at: runAt)
        case .escalate(let index): return try scheduled(StepEscalationJob(requestID: id, stepIndex: index), at: runAt)
        case .activate: return try scheduled(ActivationJob(requestID: id), at: runAt)
        case .reviewDue(let date): return try scheduled(ReviewDueJob(requestID: id, date: date), at: runAt)
        case .expiryNotice: return try scheduled(ExpiryNoticeJob(requestID: id), at: runAt)
        case .expire: return try scheduled(ExpiryJob(requestID: id), at: runAt)
        }
    }

    private func scheduled(_ job: some RoutingJobPayload, at runAt: Date) throws -> NewJob {
        try NewJob(job, tenantID: request.tenantID, runAt: runAt, uniqueKey: job.uniqueKey)
    }
}
