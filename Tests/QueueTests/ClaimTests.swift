import Foundation
import Postgres
import TestSupport
import Testing

@testable import Queue

@Suite("Claiming")
struct ClaimTests {
    @Test("workers racing with SKIP LOCKED never get the same job twice")
    func noDoubleClaims() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 8)
        let queue = TestDatabase.uniqueName("q")
        try await pool.transaction {
            try JobQueue.enqueue(batch: (0..<3_000).map { _ in NewJob(queue: queue, kind: "noop") }, on: $0)
        }
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await pool.withConnection { connection in
                            try connection.query(QueueSQL.claim, [queue, 25, "racer-\(worker)", [String]?.none]).rows
                                .map { try $0.decode("id", as: Int64.self) }
                        }
                        if batch.isEmpty { return mine }
                        mine += batch
                    }
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        #expect(claimed.count == 3_000)
        #expect(Set(claimed).count == 3_000)
    }

    @Test("claims follow priority, then run_at")
    func ordering() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let past = Date().addingTimeInterval(-60)
        let late = try await enqueue(
            NewJob(queue: queue, kind: "a", priority: 100, runAt: past.addingTimeInterval(10)), pool)
        let early = try await enqueue(NewJob(queue: queue, kind: "b", priority: 100, runAt: past), pool)
        let urgent = try await enqueue(
            NewJob(queue: queue, kind: "c", priority: 1, runAt: past.addingTimeInterval(20)), pool)
        _ = try await enqueue(NewJob(queue: queue, kind: "future", runAt: Date().addingTimeInterval(3600)), pool)
        let order = try await pool.withConnection {
            try $0.query(QueueSQL.claim, [queue, 10, "w", [String]?.none]).rows.map {
                try $0.decode("id", as: Int64.self)
            }
        }
        #expect(order.sorted() == [urgent.id, early.id, late.id].sorted())
        #expect(order.count == 3)
    }

    @Test("a tenant with 100,000 queued jobs does not starve another tenant's one job")
    func fairness() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        try await pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO fwa_jobs (queue, kind, tenant_id, run_at)
                SELECT $1, 'flood', 'tenant-a', now() - interval '1 hour' + g * interval '1 microsecond' FROM generate_series(1, 100000) g
                """, queue)
        }
        let lonely = try await enqueue(NewJob(queue: queue, kind: "single", tenantID: "tenant-b"), pool)
        var claims = 0
        var found = false
        while !found, claims < 3 {
            claims += 1
            let ids = try await pool.withConnection {
                try $0.query(QueueSQL.claim, [queue, 10, "w", [String]?.none]).rows.map {
                    try $0.decode("id", as: Int64.self)
                }
            }
            found = ids.contains(lonely.id)
        }
        #expect(found)
        #expect(claims == 1)
        try await pool.withConnection { try $0.query("DELETE FROM fwa_jobs WHERE queue = $1", queue) }
    }

    @Test("jobs scheduled for later cost a claim nothing, however many there are")
    func scheduledJobsAreNotRead() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        // Three tenants, two priorities each: six groups of reminders due in days.
        func schedule(_ count: Int) async throws {
            try await pool.withConnection { connection in
                try connection.query(
                    """
                    INSERT INTO fwa_jobs (queue, kind, tenant_id, priority, run_at)
                    SELECT $1, 'reminder', 't' || (g % 3), 50 + 50 * (g % 2), now() + interval '3 days' + g * interval '1 second'
                      FROM generate_series(1, $2::integer) g
                    """, queue, count)
                try connection.execute("ANALYZE fwa_jobs")
            }
        }
        /// One worker round (`completeAndClaim`): the jobs it claimed and its `wait`; and the
        /// buffers the same statement touches, under EXPLAIN ANALYZE in a transaction rolled back.
        func round() async throws -> (claimed: [Int64], due: Int64, wait: Double?, buffers: Int) {
            let due = try await enqueue(NewJob(queue: queue, kind: "due", tenantID: "t1"), pool)
            let parameters: [any PostgresEncodable] = [queue, 16, "w", [String]?.none, [Int64](), [Int]()]
            let plan = try await pool.withConnection { connection in
                try connection.execute("BEGIN")
                defer { try? connection.execute("ROLLBACK") }
                return try connection.query(
                    "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + QueueSQL.completeAndClaim, parameters
                )
                .rows.first?.decode("QUERY PLAN", as: String.self)
            }
            let text = try #require(plan)
            let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
            let root = try #require(document?.first?["Plan"] as? [String: Any])
            let buffers = (root["Shared Hit Blocks"] as? Int ?? 0) + (root["Shared Read Blocks"] as? Int ?? 0)
            let rows = try await pool.withConnection { try $0.query(QueueSQL.completeAndClaim, parameters).rows }
            let claimed = try rows.compactMap { try $0.decodeIfPresent("id", as: Int64.self) }
            let wait = try rows.last?.decodeIfPresent("wait", as: Double.self)
            return (claimed, due.id, wait, buffers)
        }
        try await schedule(60)
        let few = try await round()
        try await schedule(30_000)
        let many = try await round()
        #expect(few.claimed == [few.due])
        #expect(many.claimed == [many.due])
        // The next scheduled job was 3 days and a second away when it was inserted.
        #expect(abs((few.wait ?? 0) - 3 * 86_400) < 60)
        // Before, a claim read every scheduled job of a tenant in its index (about 700 more
        // buffers for 30,000 of them); now one descent per group, whose depth may grow by a level.
        #expect(
            many.buffers <= few.buffers + 30,
            "buffers: \(few.buffers) with 60 scheduled jobs, \(many.buffers) with 30,060")
        try await pool.withConnection { try $0.query("DELETE FROM fwa_jobs WHERE queue = $1", queue) }
    }

    @Test("a worker pinned to tenants claims only their jobs")
    func pinnedTenants() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let mine = try await enqueue(NewJob(queue: queue, kind: "noop", tenantID: "big"), pool)
        _ = try await enqueue(NewJob(queue: queue, kind: "noop", tenantID: "other"), pool)
        let claimed = try await pool.withConnection {
            try $0.query(QueueSQL.claim, [queue, 10, "w", ["big"]]).rows.map { try $0.decode("id", as: Int64.self) }
        }
        #expect(claimed == [mine.id])
    }

    @Test("a paused queue hands out nothing until resumed")
    func pause() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        _ = try await enqueue(NewJob(queue: queue, kind: "noop"), pool)
        try await pool.withConnection { try JobQueue.pause(queue: queue, by: "test", on: $0) }
        let whilePaused = try await pool.withConnection {
            try $0.query(QueueSQL.claim, [queue, 10, "w", [String]?.none]).rows.count
        }
        try await pool.withConnection { try JobQueue.resume(queue: queue, on: $0) }
        let afterResume = try await pool.withConnection {
            try $0.query(QueueSQL.claim, [queue, 10, "w", [String]?.none]).rows.count
        }
        #expect(whilePaused == 0)
        #expect(afterResume == 1)
    }
}

@Suite("Queue statistics")
struct StatsTests {
    @Test("stats count jobs per queue, tenant and state, with the age of the oldest ready job")
    func stats() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        try await pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO fwa_jobs (queue, kind, tenant_id, run_at) VALUES
                  ($1, 'a', 't1', now() - interval '90 seconds'), ($1, 'a', 't1', now()), ($1, 'a', 't2', now() + interval '1 hour')
                """, queue)
        }
        let counts = try await pool.withConnection { try JobQueue.stats(on: $0) }.filter { $0.queue == queue }
        #expect(counts.map(\.tenantID) == ["t1", "t2"])
        #expect(counts.map(\.count) == [2, 1])
        #expect((counts[0].oldestAgeSeconds ?? 0) >= 89)
        #expect(counts[1].oldestAgeSeconds == nil)
    }
}
