import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Consumes one queue: claims jobs in batches with `FOR UPDATE SKIP LOCKED`, runs their handlers
/// concurrently, completes them in batches, heartbeats the ones running, and sleeps until a
/// NOTIFY, a scheduled job's time, or the fallback poll. On graceful shutdown it stops claiming,
/// lets running jobs finish until `shutdownGrace`, then releases the rest.
public final class QueueWorker: Service {
    /// How the worker claims and runs jobs.
    public struct Configuration: Sendable {
        public var queue: String
        /// Jobs running at once.
        public var concurrency: Int = 16
        /// Most jobs claimed by one statement.
        public var batchSize: Int = 16
        /// The longest sleep without a notification (a NOTIFY can be lost; a job must not be).
        public var pollInterval: Duration = .seconds(2)
        public var heartbeatInterval: Duration = .seconds(5)
        /// How often the queue's depth and age gauges are refreshed.
        public var depthInterval: Duration = .seconds(10)
        public var shutdownGrace: Duration = .seconds(10)
        public var retry = RetryPolicy()
        /// Only claim jobs of these tenants (nil: every tenant), e.g. to give a large tenant
        /// dedicated workers.
        public var tenants: [String]?
        /// This process's name in `fwa_jobs.worker`.
        public var workerID: String = "\(ProcessInfo.processInfo.hostName)-\(getpid())"

        public init(queue: String) { self.queue = queue }
    }

    let configuration: Configuration
    let pool: PostgresPool
    let conninfo: String
    let handlers: JobHandlers
    let logger: Logger
    let doorbell = Doorbell()
    let held = Mutex<[Int64: Int]>([:])
    let finished = Mutex<[(id: Int64, attempt: Int)]>([])
    let stopping = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)

    /// - Parameter conninfo: for the worker's LISTEN connection (the pool is for everything else).
    public init(
        configuration: Configuration, handlers: JobHandlers, pool: PostgresPool, conninfo: String, logger: Logger
    ) {
        self.configuration = configuration
        self.handlers = handlers
        self.pool = pool
        self.conninfo = conninfo
        var logger = logger
        logger[metadataKey: "queue"] = "\(configuration.queue)"
        self.logger = logger
    }

    /// True once the LISTEN connection is up (and while it stays up).
    public var isListening: Bool { listening.load(ordering: .relaxed) }

    public func run() async throws {
        let listener = PostgresListener(
            conninfo: conninfo, channels: [JobQueue.channel(for: configuration.queue)], logger: logger)
        // Events ring the doorbell straight from the listener's thread: no task hop between a
        // NOTIFY and the claim it wakes.
        listener.start { [self] event in react(to: event) }
        defer {
            listener.stop()
            listening.store(false, ordering: .relaxed)
        }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.heartbeatLoop() }
                group.addTask { await self.depthLoop() }
                await self.claimLoop()
                listener.stop()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .releasing)
            self.doorbell.ring()
        }
        logger.info("worker stopped")
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) || Task.isCancelled }

    private func react(to event: ListenerEvent) {
        switch event {
        case .connected: listening.store(true, ordering: .relaxed)
        case .disconnected: listening.store(false, ordering: .relaxed)  // readiness goes red until LISTEN is back
        case .notification: break
        }
        doorbell.ring()  // a notification, or a (re)connect after which we poll once
    }

    private func heartbeatLoop() async {
        while !isStopping {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            let ids = held.withLock { Array($0.keys) }
            guard !ids.isEmpty else { continue }
            do {
                try await pool.withConnection { try $0.query(QueueSQL.heartbeat, ids) }
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Claims and starts jobs until shutdown, then drains. Each round is one statement that
    /// completes the jobs finished since the last round and claims as many as there is room
    /// for; the worker then sleeps until a NOTIFY, a finished job, the next scheduled job or the
    /// poll interval.
    private func claimLoop() async {
        // A discarding group: a plain task group keeps every finished child (and what it
        // captured) until `next()` collects it, which this loop never calls, so a busy worker
        // grew by a few kilobytes per job until shutdown.
        await withDiscardingTaskGroup { jobs in
            while !isStopping {
                let free = configuration.concurrency - held.withLock { $0.count }
                let want = max(0, min(free, configuration.batchSize))
                guard want > 0 else {
                    await flushCompletions()
                    await doorbell.wait(timeout: configuration.pollInterval)
                    continue
                }
                let round = await completeAndClaim(want)
                for job in round.jobs { jobs.addTask { await self.execute(job) } }
                if round.jobs.count == want { continue }
                await doorbell.wait(timeout: round.wait)
            }
            await drain(&jobs)
        }
        // Final bookkeeping must happen even when this task was cancelled: run it detached.
        await Task {
            await self.flushCompletions()
            await self.releaseHeld()
        }.value
    }

    /// Waits for running jobs until the grace period ends, then cancels the rest.
    private func drain(_ jobs: inout DiscardingTaskGroup) async {
        // A cancelled task (rather than a graceful shutdown) gets no grace period.
        let deadline = ContinuousClock.now + (Task.isCancelled ? .zero : configuration.shutdownGrace)
        while held.withLock({ !$0.isEmpty }), ContinuousClock.now < deadline, !Task.isCancelled {
            await doorbell.wait(timeout: min(.milliseconds(100), deadline - .now))
        }
        if held.withLock({ !$0.isEmpty }) {
            logger.warning("shutdown grace period over; releasing unfinished jobs")
            jobs.cancelAll()
        }
    }

    /// What one round got: the jobs claimed and how long to sleep if they were fewer than asked.
    private struct Round {
        var jobs: [ClaimedJob] = []
        var wait: Duration
    }

    /// Completes the finished jobs and claims up to `count` in one statement. On failure the
    /// completions are kept for the next round, and nothing is claimed.
    private func completeAndClaim(_ count: Int) async -> Round {
        let queue = configuration.queue
        let workerID = configuration.workerID
        let tenants = configuration.tenants
        let batch = finished.withLock { finished in
            defer { finished = [] }
            return finished
        }
        do {
            let rows = try await pool.withConnection { connection in
                try connection.query(
                    prepared: QueueSQL.completeAndClaim,
                    [
                        queue, count, workerID, tenants, batch.map(\.id), batch.map(\.attempt),
                    ]
                ).rows
            }
            var round = Round(wait: configuration.pollInterval)
            for row in rows {
                if try row.rawValue("id") != nil {
                    round.jobs.append(try ClaimedJob(row: row))
                } else if let seconds = try row.decodeIfPresent("wait", as: Double.self) {
                    round.wait = min(configuration.pollInterval, .milliseconds(Int64(max(0, seconds) * 1000) + 1))
                }
            }
            held.withLock { held in for job in round.jobs { held[job.id] = job.attempt } }
            return round
        } catch {
            logger.warning("claim failed", metadata: ["error": "\(error)", "completions": "\(batch.count)"])
            if !batch.isEmpty { finished.withLock { $0.append(contentsOf: batch) } }
            return Round(wait: configuration.pollInterval)
        }
    }

    private func flushCompletions() async {
        let batch = finished.withLock { finished in
            defer { finished = [] }
            return finished
        }
        guard !batch.isEmpty else { return }
        do {
            try await pool.withConnection { connection in
                try connection.query(prepared: QueueSQL.complete, [batch.map(\.id), batch.map(\.attempt)])
            }
        } catch {
            logger.warning(
                "completing jobs failed; will retry", metadata: ["error": "\(error)", "jobs": "\(batch.count)"])
            finished.withLock { $0.append(contentsOf: batch) }
        }
    }

    private func releaseHeld() async {
        let jobs = held.withLock { held in
            defer { held = [:] }
            return held
        }
        guard !jobs.isEmpty else { return }
        let ids = Array(jobs.keys)
        let attempts = ids.map { jobs[$0]! }
        do {
            try await pool.withConnection { try $0.query(QueueSQL.release, ids, attempts) }
            logger.info("released unfinished jobs", metadata: ["jobs": "\(ids.count)"])
        } catch {
            logger.warning("releasing jobs failed; they will be rescued", metadata: ["error": "\(error)"])
        }
    }
}
