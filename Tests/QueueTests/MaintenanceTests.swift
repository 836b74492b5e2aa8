import Foundation
import Postgres
import TestSupport
import Testing

@testable import Queue

/// Serialized: these take the cluster-wide maintenance lock.
@Suite("Maintenance", .serialized)
struct MaintenanceTests {
    func maintenance(_ pool: PostgresPool, _ configure: (inout QueueMaintenance.Configuration) -> Void = { _ in })
        -> QueueMaintenance
    {
        var configuration = QueueMaintenance.Configuration()
        configure(&configuration)
        return QueueMaintenance(configuration: configuration, pool: pool, logger: TestDatabase.logger)
    }

    @Test("a job whose worker died is rescued after the timeout and then completed by a live worker")
    func rescue() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let job = try await enqueue(NewJob(queue: queue, kind: "noop"), pool)
        // A worker claims it and dies: its heartbeat stops.
        try await pool.withConnection { connection in
            try connection.query(QueueSQL.claim, [queue, 1, "dead-worker", [String]?.none])
            try connection.query("UPDATE fwa_jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1", job.id)
        }
        #expect(try await maintenance(pool) { $0.rescueAfter = .seconds(30) }.runOnce())
        let rescued = try await jobState(job.id, pool)
        #expect(rescued.state == "available")
        #expect(rescued.attempt == 1)
        let recorder = Recorder()
        try await withWorker(
            pool: pool, queue: queue,
            handlers: ["noop": ClosureHandler { recorder.record($0.job.attempt == 2 ? $0.job.id : -1) }]
        ) {
            try await expectState(job.id, "completed", pool)
        }
        #expect(recorder.ids == [job.id])
    }

    @Test("only one node at a time holds the maintenance lock")
    func singleLeader() async throws {
        let pool = try await TestDatabase.pool()
        let holder = try PostgresConnection.connect(TestDatabase.conninfo)
        try holder.execute("BEGIN")
        try holder.query("SELECT pg_advisory_xact_lock($1)", QueueMaintenance.lockKey)
        #expect(try await maintenance(pool).runOnce() == false)
        try holder.execute("COMMIT")
        #expect(try await maintenance(pool).runOnce() == true)
    }

    @Test("a periodic job is enqueued once per scheduled time, however many nodes run maintenance")
    func periodicOnce() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let periodic = PeriodicJob(
            name: "sweep-\(queue)", schedule: .every(.seconds(3600)), job: NewJob(queue: queue, kind: "sweep"))
        let now = Date()
        for _ in 0..<3 {
            #expect(try await maintenance(pool) { $0.periodicJobs = [periodic] }.runOnce(now: now))
        }
        let slot = periodic.latestFireTime(atOrBefore: now)
        let rows = try await pool.withConnection {
            try $0.query("SELECT run_at FROM fwa_jobs WHERE queue = $1", queue).rows
        }
        #expect(rows.count == 1)
        #expect(abs(try rows[0].decode("run_at", as: Date.self).timeIntervalSince(slot)) < 0.001)
        #expect(slot <= now && now.timeIntervalSince(slot) < 3600)
    }

    @Test("daily schedules fire at the wall-clock time of their time zone")
    func dailySchedule() throws {
        let zone = try #require(TimeZone(identifier: "America/Denver"))
        let periodic = PeriodicJob(
            name: "daily", schedule: .daily(hour: 2, minute: 30, timeZone: zone), job: NewJob(queue: "x", kind: "y"))
        // 2026-07-01 08:00 UTC is 02:00 MDT: before 02:30, so the latest firing is the day before.
        let before = Date(timeIntervalSince1970: 1_782_892_800)
        let fired = periodic.latestFireTime(atOrBefore: before)
        #expect(fired == Date(timeIntervalSince1970: 1_782_892_800 - 86_400 + 1_800))
        #expect(
            periodic.latestFireTime(atOrBefore: before.addingTimeInterval(3_600)) == before.addingTimeInterval(1_800))
    }

    @Test("completed jobs older than the retention are pruned; failed ones are kept")
    func prune() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        try await pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO fwa_jobs (queue, kind, state, finished_at)
                VALUES ($1, 'old', 'completed', now() - interval '30 days'), ($1, 'new', 'completed', now()),
                       ($1, 'dead', 'failed', now() - interval '30 days')
                """, queue)
        }
        #expect(try await maintenance(pool) { $0.retention = .seconds(7 * 86_400) }.runOnce())
        let kinds = try await pool.withConnection {
            try $0.query("SELECT kind FROM fwa_jobs WHERE queue = $1 ORDER BY kind", queue).rows.map {
                try $0.decode("kind", as: String.self)
            }
        }
        #expect(kinds == ["dead", "new"])
    }
}
