import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

@testable import Queue

@Suite("Worker")
struct WorkerTests {
    @Test("three workers on one queue run each of 600 jobs exactly once and complete them")
    func exactlyOnce() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 12)
        let queue = TestDatabase.uniqueName("q")
        let recorder = Recorder()
        let handler = ClosureHandler { recorder.record($0.job.id) }
        let jobs = try await pool.transaction {
            try JobQueue.enqueue(batch: (0..<600).map { _ in NewJob(queue: queue, kind: "noop") }, on: $0)
        }
        try await withWorker(pool: pool, queue: queue, handlers: ["noop": handler]) {
            try await withWorker(pool: pool, queue: queue, handlers: ["noop": handler]) {
                try await withWorker(pool: pool, queue: queue, handlers: ["noop": handler]) {
                    #expect(await recorder.wait { $0.count >= 600 })
                    var completed = 0
                    for _ in 0..<500 where completed < 600 {
                        completed = try await pool.withConnection { connection in
                            try connection.query(
                                "SELECT count(*) AS n FROM fwa_jobs WHERE queue = $1 AND state = 'completed'", queue
                            ).first!.decode("n", as: Int.self)
                        }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    #expect(completed == 600)
                }
            }
        }
        #expect(recorder.ids.count == 600)
        #expect(Set(recorder.ids) == Set(jobs.map(\.id)))
    }

    @Test("a failing job is retried with backoff and succeeds; its errors are kept")
    func retries() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        struct Flaky: Error {}
        let handler = ClosureHandler { context in if context.job.attempt < 3 { throw Flaky() } }
        let job = try await enqueue(NewJob(queue: queue, kind: "flaky"), pool)
        try await withWorker(pool: pool, queue: queue, handlers: ["flaky": handler]) {
            try await expectState(job.id, "completed", pool)
        }
        let state = try await jobState(job.id, pool)
        #expect(state.attempt == 3)
        #expect(state.errors == 2)
    }

    @Test("after max_attempts the job is a dead letter with its error, and retry runs it again")
    func deadLetter() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        struct Broken: Error, CustomStringConvertible { var description: String { "smtp said 451 try later" } }
        let fixed = Atomic<Bool>(false)
        let handler = ClosureHandler { _ in if !fixed.load(ordering: .relaxed) { throw Broken() } }
        let job = try await enqueue(NewJob(queue: queue, kind: "send", maxAttempts: 3), pool)
        try await withWorker(pool: pool, queue: queue, handlers: ["send": handler]) {
            try await expectState(job.id, "failed", pool)
            let dead = try await pool.withConnection { try JobQueue.list(state: "failed", queue: queue, on: $0) }
            #expect(dead.map(\.id) == [job.id])
            #expect(dead.first?.lastError == "smtp said 451 try later")
            #expect(dead.first?.attempt == 3)
            fixed.store(true, ordering: .relaxed)
            let retried = try await pool.withConnection { try JobQueue.retry(ids: [job.id], on: $0) }
            #expect(retried == [job.id])
            try await expectState(job.id, "completed", pool)
        }
    }

    @Test("discard fails at once; snooze reruns later without using an attempt; an unknown kind is a dead letter")
    func outcomes() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let snoozed = Atomic<Int>(0)
        let handlers: JobHandlers = [
            "discard": ClosureHandler { _ in throw JobError.discard("recipient address is invalid") },
            "snooze": ClosureHandler { _ in
                if snoozed.add(1, ordering: .relaxed).newValue == 1 { throw JobError.snooze(.milliseconds(300)) }
            },
        ]
        let discard = try await enqueue(NewJob(queue: queue, kind: "discard", maxAttempts: 5), pool)
        let snooze = try await enqueue(NewJob(queue: queue, kind: "snooze", maxAttempts: 1), pool)
        let unknown = try await enqueue(NewJob(queue: queue, kind: "mystery"), pool)
        try await withWorker(pool: pool, queue: queue, handlers: handlers) {
            try await expectState(discard.id, "failed", pool)
            try await expectState(snooze.id, "completed", pool)
            try await expectState(unknown.id, "failed", pool)
        }
        #expect(try await jobState(discard.id, pool).attempt == 1)
        #expect(snoozed.load(ordering: .relaxed) == 2)
    }

    @Test("a cancelled job never runs")
    func cancel() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let recorder = Recorder()
        let cancelled = try await enqueue(NewJob(queue: queue, kind: "noop"), pool)
        #expect(try await pool.withConnection { try JobQueue.cancel(ids: [cancelled.id], on: $0) } == [cancelled.id])
        let marker = try await enqueue(NewJob(queue: queue, kind: "noop"), pool)
        try await withWorker(
            pool: pool, queue: queue, handlers: ["noop": ClosureHandler { recorder.record($0.job.id) }]
        ) {
            try await expectState(marker.id, "completed", pool)
        }
        #expect(recorder.ids == [marker.id])
        #expect(try await jobState(cancelled.id, pool).state == "cancelled")
    }

    @Test("a scheduled job starts at its time, not before, without waiting for the poll")
    func scheduled() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let started = Mutex<Date?>(nil)
        let runAt = Date().addingTimeInterval(1.5)
        let job = try await enqueue(NewJob(queue: queue, kind: "later", runAt: runAt), pool)
        try await withWorker(
            pool: pool, queue: queue, handlers: ["later": ClosureHandler { _ in started.withLock { $0 = Date() } }],
            configure: { $0.pollInterval = .seconds(120) }
        ) {
            try await expectState(job.id, "completed", pool, timeout: .seconds(30))
        }
        let start = try #require(started.withLock { $0 })
        #expect(start >= runAt.addingTimeInterval(-0.05))
    }

    @Test("a job inserted without a notification is still found by the fallback poll")
    func fallbackPoll() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let recorder = Recorder()
        try await withWorker(
            pool: pool, queue: queue, handlers: ["noop": ClosureHandler { recorder.record($0.job.id) }],
            configure: { $0.pollInterval = .milliseconds(300) }
        ) {
            try await Task.sleep(for: .milliseconds(200))  // let the worker go idle first
            let id = try await pool.withConnection { connection in
                try connection.query("INSERT INTO fwa_jobs (queue, kind) VALUES ($1, 'noop') RETURNING id", queue)
                    .first!.decode("id", as: Int64.self)
            }
            #expect(await recorder.wait { $0.contains(id) })
        }
    }

    @Test("a handler's writes, the jobs it enqueues and its completion commit together, or not at all")
    func handlerTransaction() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let table = TestDatabase.uniqueName("t_effects")
        try await pool.withConnection { try $0.execute("CREATE TABLE \(table) (job bigint, attempt int)") }
        struct Late: Error {}
        let handler = ClosureHandler { context in
            let job = context.job
            try await context.completing { connection in
                try connection.query("INSERT INTO \(table) VALUES ($1, $2)", job.id, job.attempt)
                try JobQueue.enqueue(
                    NewJob(queue: queue, kind: "follow-up", uniqueKey: "after-\(job.id)"), on: connection)
                if job.attempt == 1 { throw Late() }  // the first attempt's writes must vanish
            }
        }
        let job = try await enqueue(NewJob(queue: queue, kind: "work"), pool)
        try await withWorker(
            pool: pool, queue: queue, handlers: ["work": handler, "follow-up": ClosureHandler { _ in }]
        ) {
            try await expectState(job.id, "completed", pool)
        }
        let effects = try await pool.withConnection {
            try $0.query("SELECT attempt FROM \(table)").rows.map { try $0.decode("attempt", as: Int.self) }
        }
        #expect(effects == [2])
        let followUps = try await pool.withConnection {
            try $0.query("SELECT count(*) AS n FROM fwa_jobs WHERE queue = $1 AND kind = 'follow-up'", queue).first!
                .decode("n", as: Int.self)
        }
        #expect(followUps == 1)
        try await pool.withConnection { try $0.execute("DROP TABLE \(table)") }
    }

    @Test("heartbeats keep a long job's heartbeat fresh while it runs")
    func heartbeats() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let release = Atomic<Bool>(false)
        let job = try await enqueue(NewJob(queue: queue, kind: "slow"), pool)
        try await withWorker(
            pool: pool, queue: queue,
            handlers: [
                "slow": ClosureHandler { _ in
                    while !release.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(20)) }
                }
            ]
        ) {
            try await expectState(job.id, "running", pool)
            try await Task.sleep(for: .milliseconds(900))
            let fresh = try await pool.withConnection { connection in
                try connection.query(
                    "SELECT heartbeat_at > attempted_at + interval '300 milliseconds' AS fresh FROM fwa_jobs WHERE id = $1",
                    job.id
                ).first!.decode("fresh", as: Bool.self)
            }
            #expect(fresh)
            release.store(true, ordering: .relaxed)
            try await expectState(job.id, "completed", pool)
        }
    }
}
