import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Storage
import Workflow

/// Answers every job of the `routing` queue: loads the request, locked, under the policy version
/// it was routed under, asks `ApprovalFlow` what to do, and has `FlowExecutor` do it, in the
/// transaction that completes the job.
enum RoutingHandler {
    /// The routing queue's handlers: one per routing job contract.
    static var all: JobHandlers {
        var handlers = JobHandlers()
        handlers.register(RequestSubmittedJob.self, handle)
        handlers.register(StepDecidedJob.self, handle)
        handlers.register(StepReminderJob.self, handle)
        handlers.register(StepEscalationJob.self, handle)
        handlers.register(ActivationJob.self, handle)
        handlers.register(EndingJob.self, handle)
        handlers.register(ReviewDueJob.self, handle)
        handlers.register(ExpiryNoticeJob.self, handle)
        handlers.register(ExpiryJob.self, handle)
        return handlers
    }

    @Sendable
    static func handle<Job: RoutingJobPayload>(_ job: Job, context: JobContext) async throws {
        let now = Date()
        let done = try await context.completing { connection -> [FlowAction]? in
            guard let request = try RequestStore.find(job.requestID, lock: true, on: connection) else { return nil }
            guard
                let engine = try PolicyEngineCache.shared.engine(
                    tenantID: request.tenantID, version: request.policyVersion, on: connection)
            else {
                throw JobError.discard(
                    "request \(request.id) names policy version \(request.policyVersion) of \(request.tenantID), which does not exist"
                )
            }
            let clock = TenantClock(policy: engine.policy, now: now)
            let steps = try RequestStore.steps(of: request.id, on: connection)
            let actions = ApprovalFlow.actions(
                for: job.event, request: request, steps: steps, engine: engine, today: clock.today)
            try FlowExecutor(connection: connection, request: request, clock: clock).perform(actions)
            return actions
        }
        guard let done, !done.isEmpty else { return }
        context.logger.info(
            "routed",
            metadata: [
                "request_id": "\(job.requestID.uuidString.lowercased())", "event": "\(Job.kind)",
                "actions": "\(done.count)",
            ])
    }
}
