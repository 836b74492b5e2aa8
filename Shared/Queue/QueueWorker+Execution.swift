import Foundation
import Logging
import Metrics
import Postgres

extension QueueWorker {
    /// Runs one job's handler and records its outcome.
    func execute(_ job: ClaimedJob) async {
        var logger = self.logger
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "job_kind"] = "\(job.kind)"
        if !job.tenantID.isEmpty { logger[metadataKey: "tenant_id"] = "\(job.tenantID)" }
        let dimensions = [("queue", job.queue), ("kind", job.kind)]
        let waited = Date().timeIntervalSince(max(job.runAt, job.createdAt))
        Timer(label: "fwa_job_wait_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(max(0, waited) * 1e9))
        let started = ContinuousClock.now
        let outcome = await run(job, logger: logger)
        if Task.isCancelled, case .failed = outcome {
            // Interrupted by shutdown: the job stays held and is released, not counted as failed.
            logger.info("job interrupted by shutdown; it will be released")
            doorbell.ring()
            return
        }
        Timer(label: "fwa_job_run_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            .record(duration: ContinuousClock.now - started)
        await record(outcome, for: job, logger: logger, dimensions: dimensions)
        held.withLock { _ = $0.removeValue(forKey: job.id) }
        doorbell.ring()
    }

    private enum Outcome {
        case done(completedByHandler: Bool)
        case failed(any Error)
    }

    private func run(_ job: ClaimedJob, logger: Logger) async -> Outcome {
        guard let handler = handlers[job.kind] else {
            let known = handlers.kinds.joined(separator: ", ")
            return .failed(
                JobError.discard("no handler for job kind \(job.kind) on queue \(job.queue) (handled here: \(known))"))
        }
        let context = JobContext(job: job, pool: pool, logger: logger, completion: CompletionMark())
        do {
            try await handler.handle(context)
            return .done(completedByHandler: context.completion.isMarked)
        } catch {
            return .failed(error)
        }
    }

    private func record(_ outcome: Outcome, for job: ClaimedJob, logger: Logger, dimensions: [(String, String)]) async {
        switch outcome {
        case .done(let completedByHandler):
            if !completedByHandler { finished.withLock { $0.append((job.id, job.attempt)) } }
            Counter(label: "fwa_jobs_completed_total", dimensions: dimensions).increment()
        case .failed(let error as JobLostError):
            logger.warning("job lost while running; its work was rolled back", metadata: ["error": "\(error)"])
        case .failed(JobError.snooze(let delay)):
            await store(QueueSQL.snooze, [job.id, job.attempt, delay.inSeconds], logger: logger)
        case .failed(JobError.cancel(let reason)):
            logger.info("job cancelled by its handler", metadata: ["reason": "\(reason)"])
            await store(
                "UPDATE fwa_jobs SET state = 'cancelled', finished_at = now(), last_error = $3, heartbeat_at = NULL, worker = NULL WHERE id = $1 AND attempt = $2 AND state = 'running'",
                [job.id, job.attempt, reason], logger: logger)
        case .failed(let error):
            await fail(job, error: error, logger: logger, dimensions: dimensions)
        }
    }

    private func fail(_ job: ClaimedJob, error: any Error, logger: Logger, dimensions: [(String, String)]) async {
        var discard = false
        if case JobError.discard = error { discard = true }
        let delay = configuration.retry.delay(afterAttempt: job.attempt)
        let message = String(String(describing: error).prefix(2000))
        let dead = discard || job.isLastAttempt
        Counter(label: dead ? "fwa_jobs_dead_total" : "fwa_jobs_retried_total", dimensions: dimensions).increment()
        Counter(label: "fwa_jobs_failed_total", dimensions: dimensions).increment()
        if dead {
            logger.error(
                "job failed for good (dead letter)", metadata: ["error": "\(message)", "attempt": "\(job.attempt)"])
        } else {
            logger.warning(
                "job failed; will retry",
                metadata: ["error": "\(message)", "attempt": "\(job.attempt)", "retry_in_s": "\(delay.inSeconds)"])
        }
        await store(QueueSQL.fail, [job.id, job.attempt, message, delay.inSeconds, discard], logger: logger)
    }

    /// Writes an outcome; when the database is unreachable the job stays running without
    /// heartbeats and is rescued later, so nothing is lost.
    private func store(_ sql: String, _ parameters: [any PostgresEncodable], logger: Logger) async {
        do {
            try await pool.withConnection { try $0.query(sql, parameters) }
        } catch {
            logger.warning("recording a job outcome failed; the job will be rescued", metadata: ["error": "\(error)"])
        }
    }
}
