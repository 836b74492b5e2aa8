import Logging
import Postgres
import Synchronization

/// Does one kind of job. Return to complete it; throw `JobError` to snooze, discard or cancel
/// it; throw anything else to retry it with backoff. Handlers must be safe to run twice: a job
/// whose worker dies mid-run is run again.
public protocol JobHandler: Sendable {
    func handle(_ context: JobContext) async throws
}

/// What a handler gets: the job, the database, a logger carrying the job's ids.
public struct JobContext: Sendable {
    public let job: ClaimedJob
    public let pool: PostgresPool
    public let logger: Logger
    let completion: CompletionMark

    /// Runs `body` in a transaction that also completes the job, so the handler's writes, the
    /// jobs it enqueues and the completion commit together or not at all. Throws
    /// `JobLostError` (and rolls back) when the job is no longer this worker's to finish.
    ///
    /// The transaction names the job it holds (`fwa.job_id`, `fwa.job_attempt`): the database
    /// accepts the audit events a worker appends only for the tenant and request of a job that
    /// is still running at that attempt (migration 0011).
    public func completing<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T
    {
        let job = self.job
        let value = try await pool.transaction { connection in
            Self.nameHeldJob(job, on: connection)
            let value = try body(connection)
            guard try connection.query(prepared: QueueSQL.completeOne, [job.id, job.attempt]).affectedRows == 1 else {
                throw JobLostError(jobID: job.id, attempt: job.attempt)
            }
            return value
        }
        completion.mark()
        return value
    }

    /// Sets the transaction-local settings that name the held job; pipelined, no round trip.
    static func nameHeldJob(_ job: ClaimedJob, on connection: PostgresConnection) {
        connection.pipeline(
            prepared: "SELECT set_config('fwa.job_id', $1, true), set_config('fwa.job_attempt', $2, true)",
            String(job.id), String(job.attempt))
    }
}

/// The job was rescued, cancelled or released while its handler ran; its work was rolled back.
public struct JobLostError: Error, CustomStringConvertible {
    public let jobID: Int64
    public let attempt: Int
    public var description: String { "job \(jobID) attempt \(attempt) is no longer held by this worker" }
}

/// Whether the handler already completed its job in its own transaction.
final class CompletionMark: Sendable {
    private let done = Atomic<Bool>(false)
    func mark() { done.store(true, ordering: .releasing) }
    var isMarked: Bool { done.load(ordering: .acquiring) }
}
