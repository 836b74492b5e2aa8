import Foundation
import Postgres
import TestSupport
import Testing

@testable import Queue

@Suite("Enqueue on a pool")
struct AutocommitEnqueueTests {
    @Test("a job enqueued on the pool commits on its own, notifies, and honours unique keys")
    func autocommit() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let listener = PostgresListener(
            conninfo: TestDatabase.conninfo, channels: [JobQueue.channel(for: queue)], logger: TestDatabase.logger)
        var events = listener.start().makeAsyncIterator()
        defer { listener.stop() }
        #expect(await events.next() == .connected(isReconnect: false))

        let job = try await JobQueue.enqueue(
            NewJob(queue: queue, kind: "noop", payload: JSONText("{\"n\": 7}")), on: pool)
        #expect(job.inserted)
        #expect(await events.next() == .notification(channel: JobQueue.channel(for: queue), payload: ""))
        // Visible to another session at once: committed, not left in an open transaction.
        let payload = try await pool.withConnection {
            try $0.query("SELECT payload::text AS p FROM fwa_jobs WHERE id = $1", job.id).first?.decode(
                "p", as: String.self)
        }
        #expect(payload == "{\"n\": 7}")

        let first = try await JobQueue.enqueue(NewJob(queue: queue, kind: "remind", uniqueKey: "k"), on: pool)
        let second = try await JobQueue.enqueue(NewJob(queue: queue, kind: "remind", uniqueKey: "k"), on: pool)
        #expect(first.inserted && !second.inserted && first.id == second.id)
    }
}

@Suite("A worker's round")
struct CompleteAndClaimTests {
    /// Runs one round the way the worker does.
    func round(_ pool: PostgresPool, _ queue: String, want: Int, done: [(Int64, Int)] = []) async throws -> (
        ids: [Int64], wait: Double?
    ) {
        let rows = try await pool.withConnection { connection in
            try connection.query(
                prepared: QueueSQL.completeAndClaim,
                [
                    queue, want, "w", [String]?.none, done.map(\.0), done.map(\.1),
                ]
            ).rows
        }
        let ids = try rows.compactMap { try $0.decodeIfPresent("id", as: Int64.self) }
        #expect(try rows.last?.rawValue("id") == nil, "the last row carries the wait")
        return (ids, try rows.last?.decodeIfPresent("wait", as: Double.self))
    }

    @Test(
        "one statement completes the finished jobs (fenced by attempt), claims more, and tells when the next scheduled job is due"
    )
    func completesClaimsAndWaits() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 1)
        let queue = TestDatabase.uniqueName("q")
        let a = try await enqueue(NewJob(queue: queue, kind: "noop"), pool)
        let b = try await enqueue(NewJob(queue: queue, kind: "noop"), pool)
        let c = try await enqueue(NewJob(queue: queue, kind: "noop"), pool)
        _ = try await enqueue(NewJob(queue: queue, kind: "later", runAt: Date().addingTimeInterval(30)), pool)

        let full = try await round(pool, queue, want: 2)
        #expect(full.ids.count == 2)
        #expect(full.wait == nil, "a full batch does not look up the next scheduled job")
        let rest = try await round(pool, queue, want: 5, done: full.ids.map { ($0, 1) })
        #expect(Set(full.ids + rest.ids) == [a.id, b.id, c.id])
        let wait = try #require(rest.wait)
        #expect(wait > 25 && wait <= 30)
        #expect(try await jobState(full.ids[0], pool).state == "completed")
        #expect(try await jobState(full.ids[1], pool).state == "completed")
        #expect(try await jobState(rest.ids[0], pool).state == "running")

        // The asynchronous commit is the round's own: the session stays synchronous.
        let setting = try await pool.withConnection {
            try $0.query("SHOW synchronous_commit").first!.decode("synchronous_commit", as: String.self)
        }
        #expect(setting == "on")
        // A completion for another attempt than the one running is not this worker's to make.
        _ = try await round(pool, queue, want: 5, done: rest.ids.map { ($0, 2) })
        #expect(try await jobState(rest.ids[0], pool).state == "running")
        let empty = try await round(pool, queue, want: 5, done: rest.ids.map { ($0, 1) })
        #expect(empty.ids.isEmpty)
        #expect(try await jobState(rest.ids[0], pool).state == "completed")
    }
}
