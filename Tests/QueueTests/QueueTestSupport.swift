import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

@testable import Queue

/// A handler built from a closure.
struct ClosureHandler: JobHandler {
    let body: @Sendable (JobContext) async throws -> Void
    func handle(_ context: JobContext) async throws { try await body(context) }
}

/// Records what handlers saw, and wakes a waiting test when enough has happened.
final class Recorder: Sendable {
    private let state = Mutex<[Int64]>([])

    func record(_ id: Int64) { state.withLock { $0.append(id) } }
    var ids: [Int64] { state.withLock { $0 } }

    /// Polls until `condition` holds or `timeout` passes; returns whether it held.
    func wait(timeout: Duration = .seconds(20), until condition: @Sendable ([Int64]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(ids) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(ids)
    }
}

/// Runs a worker for the duration of `body`, then cancels it and waits for it to stop.
func withWorker<T>(
    pool: PostgresPool, queue: String, handlers: JobHandlers,
    configure: ((inout QueueWorker.Configuration) -> Void)? = nil,
    _ body: () async throws -> T
) async throws -> T {
    var configuration = QueueWorker.Configuration(queue: queue)
    configuration.heartbeatInterval = .milliseconds(200)
    configuration.retry = RetryPolicy(base: .milliseconds(20), cap: .milliseconds(100))
    configure?(&configuration)
    let worker = QueueWorker(
        configuration: configuration, handlers: handlers, pool: pool, conninfo: TestDatabase.conninfo,
        logger: TestDatabase.logger)
    let task = Task { try await worker.run() }
    do {
        let value = try await body()
        task.cancel()
        _ = await task.result
        return value
    } catch {
        task.cancel()
        _ = await task.result
        throw error
    }
}

/// A job's state and attempt.
func jobState(_ id: Int64, _ pool: PostgresPool) async throws -> (state: String, attempt: Int, errors: Int) {
    try await pool.withConnection { connection in
        let row = try connection.query(
            "SELECT state, attempt, jsonb_array_length(errors) AS errors FROM fwa_jobs WHERE id = $1", id
        ).first!
        return (try row.decode("state"), try row.decode("attempt"), try row.decode("errors"))
    }
}

/// Waits until job `id` is in `state`.
func waitForState(_ id: Int64, _ state: String, _ pool: PostgresPool, timeout: Duration = .seconds(20)) async throws
    -> Bool
{
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await jobState(id, pool).state == state { return true }
        try await Task.sleep(for: .milliseconds(25))
    }
    return false
}

func enqueue(_ job: NewJob, _ pool: PostgresPool) async throws -> EnqueuedJob {
    try await pool.transaction { try JobQueue.enqueue(job, on: $0) }
}

/// Expects job `id` to reach `state` in time.
func expectState(
    _ id: Int64, _ state: String, _ pool: PostgresPool, timeout: Duration = .seconds(20),
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let reached = try await waitForState(id, state, pool, timeout: timeout)
    #expect(reached, "job \(id) did not reach \(state)", sourceLocation: sourceLocation)
}
