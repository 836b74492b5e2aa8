import Foundation
import Postgres
import Queue
import Synchronization

/// N jobs inserted up front; time from the worker's start until every one is completed.
struct Drain {
    let count: Int

    func run() async throws {
        let queue = "bench_drain"
        try await cleanup(queue)
        try await pool.withConnection { connection in
            try connection.query(
                "INSERT INTO fwa_jobs (queue, kind) SELECT $1, 'noop' FROM generate_series(1, $2)", queue, count)
        }
        let probe = Probe()
        let started = ContinuousClock.now
        let elapsed = try await withBenchWorker(queue: queue, probe: probe) {
            // Watch the handler count in memory first: counting completed rows every few
            // milliseconds would scan the table and take CPU from the worker being measured.
            while probe.runs.load(ordering: .relaxed) < count { try await Task.sleep(for: .milliseconds(2)) }
            while try await completedCount(queue) < count { try await Task.sleep(for: .milliseconds(2)) }
            return ContinuousClock.now - started
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        emit([
            "benchmark": "drain", "jobs": count, "seconds": seconds, "jobs_per_s": Double(count) / seconds,
            "runs": probe.runs.load(ordering: .relaxed),
            "peak_rss_mb": peakResidentMegabytes() ?? 0,
        ])
        try await cleanup(queue)
    }
}

/// Producers enqueue one job per transaction for a while; a worker processes them meanwhile.
/// `autocommit`: each job is its own single-statement transaction (`JobQueue.enqueue(_:on: pool)`);
/// otherwise each goes in a `BEGIN … COMMIT` of its own, the path a service takes when the job
/// goes with a business change.
struct Flow {
    let producers: Int
    let seconds: Double
    let autocommit: Bool

    func run() async throws {
        let queue = "bench_flow"
        try await cleanup(queue)
        let probe = Probe()
        let enqueued = Tally()
        let result = try await withBenchWorker(queue: queue, probe: probe) { () async throws -> (Double, Double) in
            let start = ContinuousClock.now
            let deadline = start + .milliseconds(Int64(seconds * 1000))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<producers {
                    group.addTask {
                        while ContinuousClock.now < deadline {
                            if autocommit {
                                try await JobQueue.enqueue(NewJob(queue: queue, kind: "noop"), on: pool)
                            } else {
                                try await pool.transaction {
                                    try JobQueue.enqueue(NewJob(queue: queue, kind: "noop"), on: $0)
                                }
                            }
                            enqueued.value.add(1, ordering: .relaxed)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let enqueueDone = ContinuousClock.now - start
            let total = enqueued.value.load(ordering: .relaxed)
            while try await completedCount(queue) < total { try await Task.sleep(for: .milliseconds(5)) }
            let allDone = ContinuousClock.now - start
            return (enqueueDone.seconds, allDone.seconds)
        }
        let total = Double(enqueued.value.load(ordering: .relaxed))
        emit([
            "benchmark": "flow", "mode": autocommit ? "autocommit" : "transaction", "producers": producers,
            "jobs": Int(total), "enqueue_per_s": total / result.0,
            "processed_per_s": total / result.1, "seconds": result.1,
        ])
        try await cleanup(queue)
    }
}

/// An idle worker woken by NOTIFY: time from the enqueue call, and from the commit's return,
/// to the handler's start.
struct Latency {
    let count: Int
    let intervalMs: Int

    func run() async throws {
        let queue = "bench_latency"
        try await cleanup(queue)
        let probe = Probe(recordStarts: true)
        var calls: [Int64: (call: Date, committed: Date)] = [:]
        try await withBenchWorker(queue: queue, probe: probe) {
            try await Task.sleep(for: .milliseconds(500))
            for _ in 0..<count {
                let call = Date()
                let job = try await pool.transaction {
                    try JobQueue.enqueue(NewJob(queue: queue, kind: "noop"), on: $0)
                }
                calls[job.id] = (call, Date())
                try await Task.sleep(for: .milliseconds(intervalMs))
            }
            while probe.runs.load(ordering: .relaxed) < count { try await Task.sleep(for: .milliseconds(5)) }
        }
        let starts = probe.starts.withLock { $0 }
        let fromCall = calls.compactMap { id, time in starts[id].map { $0.timeIntervalSince(time.call) * 1000 } }
        let fromCommit = calls.compactMap { id, time in
            starts[id].map { max(0, $0.timeIntervalSince(time.committed)) * 1000 }
        }
        emit([
            "benchmark": "latency", "jobs": count, "enqueue_to_start_p50_ms": percentile(fromCall, 0.5),
            "enqueue_to_start_p99_ms": percentile(fromCall, 0.99),
            "commit_to_start_p50_ms": percentile(fromCommit, 0.5),
            "commit_to_start_p99_ms": percentile(fromCommit, 0.99),
        ])
        try await cleanup(queue)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
