import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Storage
import Workflow

/// The compliance queue's handlers.
enum ComplianceHandlers {
    static var all: JobHandlers {
        var handlers = JobHandlers()
        handlers.register(ComplianceCheckJob.self, RequestCheckHandler.handle)
        handlers.register(ComplianceSweepJob.self, ComplianceSweepHandler.handle)
        handlers.register(RequestSweepJob.self, RequestSweepHandler.handle)
        return handlers
    }
}

/// `request.check`: raises the alerts a new request's location findings call for.
enum RequestCheckHandler {
    @Sendable
    static func handle(_ payload: ComplianceCheckJob, context: JobContext) async throws {
        let raised = try await context.completing { connection -> Int in
            guard let request = try RequestStore.find(payload.requestID, on: connection), request.status != .rejected
            else {
                return 0
            }
            let raiser = AlertRaiser(connection: connection, request: request)
            return try AlertRaiser.alertable(request.evaluation.findings).reduce(0) { count, finding in
                count
                    + (try raiser.raise(
                        finding, dedupeKey: "\(finding.ruleId):\(request.id)", from: request.input.startDate,
                        to: request.input.endDate) ? 1 : 0)
            }
        }
        context.logger.info(
            "compliance checked", metadata: ["request_id": "\(payload.requestID)", "alerts": "\(raised)"])
    }
}

/// `compliance.sweep` (daily, once per cluster): alerts that only time reveals. An open-ended
/// arrangement is re-evaluated as if it ended today, so a threshold it has crossed since it began
/// (consecutive days out of region, months outside a region group) raises its alert; a
/// time-limited arrangement nearing its limit alerts on its notice date.
///
/// The sweep itself belongs to no tenant, so it writes nothing of a tenant: it enqueues one
/// `request.sweep` job per active or approved request, of that request's tenant, whose handler
/// (`RequestSweepHandler`) raises the alerts and appends their audit events for the job it holds.
enum ComplianceSweepHandler {
    @Sendable
    static func handle(_ payload: ComplianceSweepJob, context: JobContext) async throws {
        let enqueued = try await context.completing { connection -> Int in
            let jobs = try RequestStore.ids(in: RequestStatus.granted, on: connection).map { request in
                try NewJob(RequestSweepJob(requestID: request.id), tenantID: request.tenantID)
            }
            return try JobQueue.enqueue(batch: jobs, on: connection).count
        }
        context.logger.info("compliance sweep enqueued", metadata: ["requests": "\(enqueued)"])
    }

    static func sweep(_ id: UUID, on connection: PostgresConnection, now: Date) throws -> Int {
        guard let request = try RequestStore.find(id, on: connection),
            let engine = try PolicyEngineCache.shared.engine(
                tenantID: request.tenantID, version: request.policyVersion, on: connection)
        else { return 0 }
        let policy = engine.policy
        let today = BusinessCalendar.localDate(at: now, timeZone: policy.timeZone)
        let raiser = AlertRaiser(connection: connection, request: request)
        var raised = 0
        if request.input.endDate == nil, today > request.input.startDate {
            var elapsed = request.input
            elapsed.endDate = today
            for finding in AlertRaiser.alertable(engine.evaluate(elapsed).findings) {
                raised +=
                    try raiser.raise(
                        finding, dedupeKey: "\(finding.ruleId):\(request.id)", from: request.input.startDate, to: nil)
                    ? 1 : 0
            }
        }
        if let expiry = request.evaluation.expiry ?? engine.expiry(for: request.input), expiry.noticeOn <= today {
            let recipients =
                request.evaluation.findings.first { $0.ruleId == expiry.ruleId }?.recipients
                ?? engine.recipients(forAlert: "temporary_limit", department: request.input.employee.department)
            let finding = ComplianceFinding(
                ruleId: expiry.ruleId, kind: "temporary_limit",
                jurisdiction: request.input.location.map { "\($0.country)-\($0.region ?? "")" },
                effect: .alert, recipients: recipients,
                message:
                    "The arrangement reaches its time limit on \(expiry.lastDay) (\(expiry.citation ?? expiry.ruleId)).",
                citation: expiry.citation)
            raised +=
                try raiser.raise(
                    finding, dedupeKey: "limit:\(expiry.ruleId):\(request.id)", from: request.input.startDate,
                    to: expiry.lastDay) ? 1 : 0
        }
        return raised
    }
}

/// `request.sweep`: the daily sweep of one request (`ComplianceSweepHandler.sweep`), in the
/// transaction that completes its job.
enum RequestSweepHandler {
    @Sendable
    static func handle(_ payload: RequestSweepJob, context: JobContext) async throws {
        let now = Date()
        let raised = try await context.completing {
            try ComplianceSweepHandler.sweep(payload.requestID, on: $0, now: now)
        }
        if raised > 0 {
            context.logger.info(
                "compliance swept", metadata: ["request_id": "\(payload.requestID)", "alerts": "\(raised)"])
        }
    }
}
