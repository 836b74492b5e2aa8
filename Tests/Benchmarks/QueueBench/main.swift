// Queue benchmarks against a real PostgreSQL (DATABASE_URL). Run by scripts/bench-queue.
//   queue-bench drain N             N no-op jobs pre-inserted, one worker: jobs/s until all complete
//   queue-bench flow PRODUCERS SEC [autocommit|transaction]
//                                   producers enqueue one job per transaction while a worker runs
//   queue-bench latency COUNT MS    an idle worker; COUNT jobs one at a time every MS milliseconds
// Each prints one JSON line of results.
import Foundation
import Logging
import Postgres
import Queue
import Schema
import Synchronization

let arguments = CommandLine.arguments.dropFirst()
let conninfo = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
let logger: Logger = {
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    return logger
}()

let pool = PostgresPool(configuration: .init(conninfo: conninfo, maxConnections: 12), logger: logger)
try await Schema.migrator().migrate(on: pool, logger: logger)

switch arguments.first {
case "drain":
    try await Drain(count: Int(arguments.dropFirst().first ?? "20000") ?? 20_000).run()
case "flow":
    let rest = Array(arguments.dropFirst())
    try await Flow(
        producers: Int(rest.first ?? "4") ?? 4, seconds: Double(rest.dropFirst().first ?? "10") ?? 10,
        autocommit: rest.dropFirst(2).first != "transaction"
    ).run()
case "latency":
    let rest = Array(arguments.dropFirst())
    try await Latency(count: Int(rest.first ?? "300") ?? 300, intervalMs: Int(rest.dropFirst().first ?? "50") ?? 50)
        .run()
default:
    FileHandle.standardError.write(
        Data(
            "usage: queue-bench drain N | flow PRODUCERS SECONDS [autocommit|transaction] | latency COUNT INTERVAL_MS\n"
                .utf8))
    exit(2)
}
await pool.shutdown()
