import Foundation
import Postgres
import Queue
import Synchronization

/// A no-op handler that counts runs and records when each job started.
final class Probe: JobHandler, Sendable {
    let runs = Atomic<Int>(0)
    let starts = Mutex<[Int64: Date]>([:])
    let recordStarts: Bool

    init(recordStarts: Bool = false) { self.recordStarts = recordStarts }

    func handle(_ context: JobContext) async throws {
        if recordStarts { starts.withLock { $0[context.job.id] = Date() } }
        runs.add(1, ordering: .relaxed)
    }
}

/// Runs a worker on `queue` while `body` runs.
func withBenchWorker<T>(queue: String, probe: Probe, _ body: () async throws -> T) async throws -> T {
    var configuration = QueueWorker.Configuration(queue: queue)
    configuration.concurrency = 200
    configuration.batchSize = 100
    configuration.pollInterval = .seconds(5)
    let worker = QueueWorker(
        configuration: configuration, handlers: ["noop": probe], pool: pool, conninfo: conninfo, logger: logger)
    let task = Task { try await worker.run() }
    defer { task.cancel() }
    let value = try await body()
    task.cancel()
    _ = await task.result
    return value
}

func completedCount(_ queue: String) async throws -> Int {
    try await pool.withConnection {
        try $0.query("SELECT count(*) AS n FROM fwa_jobs WHERE queue = $1 AND state = 'completed'", queue).first!
            .decode("n", as: Int.self)
    }
}

func cleanup(_ queue: String) async throws {
    try await pool.withConnection { try $0.query("DELETE FROM fwa_jobs WHERE queue = $1", queue) }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// A counter shared by concurrent tasks.
final class Tally: Sendable {
    let value = Atomic<Int>(0)
}

/// This process's peak resident set (VmHWM from /proc/self/status) in MB, nil where there is none.
func peakResidentMegabytes() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Double($0) }
        )
    else { return nil }
    return kilobytes / 1024
}
