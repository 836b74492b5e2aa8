import Foundation
import Postgres
import TestSupport
import Testing

@testable import Queue

@Suite("Enqueue")
struct EnqueueTests {
    @Test("a job exists if and only if the enqueuing transaction committed")
    func transactional() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        struct Abort: Error {}
        try? await pool.transaction { connection in
            try JobQueue.enqueue(NewJob(queue: queue, kind: "noop"), on: connection)
            throw Abort()
        }
        let committed = try await enqueue(NewJob(queue: queue, kind: "noop", payload: JSONText("{\"n\": 1}")), pool)
        let rows = try await pool.withConnection {
            try $0.query("SELECT id, payload::text AS p FROM fwa_jobs WHERE queue = $1", queue).rows
        }
        #expect(rows.count == 1)
        #expect(try rows[0].decode("id", as: Int64.self) == committed.id)
        #expect(try rows[0].decode("p", as: String.self) == "{\"n\": 1}")
    }

    @Test("batch enqueue inserts every job in one go")
    func batch() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let jobs = (0..<1_234).map {
            NewJob(queue: queue, kind: "noop", payload: JSONText("{\"i\": \($0)}"), tenantID: "t\($0 % 3)")
        }
        let enqueued = try await pool.transaction { try JobQueue.enqueue(batch: jobs, on: $0) }
        #expect(Set(enqueued.map(\.id)).count == 1_234)
        let count = try await pool.withConnection {
            try $0.query("SELECT count(*) AS n FROM fwa_jobs WHERE queue = $1", queue).first!.decode("n", as: Int.self)
        }
        #expect(count == 1_234)
    }

    @Test("enqueueing a duplicate unique key is a no-op that returns the existing job")
    func unique() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let first = try await enqueue(NewJob(queue: queue, kind: "remind", uniqueKey: "step-42-day-10"), pool)
        let second = try await enqueue(NewJob(queue: queue, kind: "remind", uniqueKey: "step-42-day-10"), pool)
        let other = try await enqueue(NewJob(queue: queue, kind: "remind", uniqueKey: "step-42-day-11"), pool)
        #expect(first.inserted && !second.inserted && other.inserted)
        #expect(first.id == second.id)
        #expect(first.id != other.id)
        let concurrent = try await withThrowingTaskGroup(of: EnqueuedJob.self) { group in
            for _ in 0..<8 {
                group.addTask { try await enqueue(NewJob(queue: queue, kind: "remind", uniqueKey: "race"), pool) }
            }
            return try await group.reduce(into: [EnqueuedJob]()) { $0.append($1) }
        }
        #expect(Set(concurrent.map(\.id)).count == 1)
        #expect(concurrent.filter(\.inserted).count == 1)
    }

    @Test("cancel by unique key stops a job that has not run")
    func cancelByKey() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let job = try await enqueue(
            NewJob(queue: queue, kind: "remind", runAt: Date().addingTimeInterval(3600), uniqueKey: "k1"), pool)
        let cancelled = try await pool.withConnection {
            try JobQueue.cancel(queue: queue, uniqueKeys: ["k1", "absent"], on: $0)
        }
        #expect(cancelled == 1)
        #expect(try await jobState(job.id, pool).state == "cancelled")
    }
}
