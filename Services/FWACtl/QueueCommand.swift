import ArgumentParser
import Foundation
import Postgres
import Queue

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Inspect and act on the job queue.",
        subcommands: [Stats.self, Failed.self, Show.self, Retry.self, Cancel.self, Pause.self, Resume.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Jobs per queue, tenant and state (completed jobs excluded).")

        func run() async throws {
            let (counts, paused) = try await Database.withPool { pool in
                try await pool.withConnection { (try JobQueue.stats(on: $0), try JobQueue.pausedQueues(on: $0)) }
            }
            print(pad("QUEUE", 16) + pad("TENANT", 14) + pad("STATE", 11) + pad("JOBS", 9) + "OLDEST_READY_S")
            for count in counts {
                let age = count.oldestAgeSeconds.map { String(format: "%.1f", $0) } ?? "-"
                print(
                    pad(count.queue, 16) + pad(count.tenantID.isEmpty ? "-" : count.tenantID, 14) + pad(count.state, 11)
                        + pad("\(count.count)", 9) + age)
            }
            if counts.isEmpty { print("(no pending, running, failed or cancelled jobs)") }
            if !paused.isEmpty { print("paused queues: \(paused.joined(separator: ", "))") }
        }
    }

    struct Failed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List failed jobs (the dead letters), newest first.")
        @Option(help: "Only this queue.") var queue: String?
        @Option(help: "At most this many.") var limit = 50

        func run() async throws {
            let queue = self.queue
            let limit = self.limit
            let jobs = try await Database.withPool { pool in
                try await pool.withConnection { try JobQueue.list(state: "failed", queue: queue, limit: limit, on: $0) }
            }
            print(
                pad("ID", 10) + pad("QUEUE", 14) + pad("KIND", 26) + pad("TENANT", 12) + pad("ATTEMPTS", 10)
                    + "LAST_ERROR")
            for job in jobs {
                print(
                    pad("\(job.id)", 10) + pad(job.queue, 14) + pad(job.kind, 26)
                        + pad(job.tenantID.isEmpty ? "-" : job.tenantID, 12)
                        + pad("\(job.attempt)/\(job.maxAttempts)", 10) + (job.lastError ?? "").prefix(120))
            }
            if jobs.isEmpty { print("(no failed jobs)") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job with its payload and error history.")
        @Argument(help: "The job id.") var id: Int64

        func run() async throws {
            let id = self.id
            guard
                let job = try await Database.withPool({ pool in
                    try await pool.withConnection { try JobQueue.find(id: id, on: $0) }
                })
            else {
                throw ValidationError("no job \(id)")
            }
            print(
                "id:        \(job.id)\nqueue:     \(job.queue)\nkind:      \(job.kind)\ntenant:    \(job.tenantID.isEmpty ? "-" : job.tenantID)"
            )
            print("state:     \(job.state)\nattempts:  \(job.attempt)/\(job.maxAttempts)\nrun_at:    \(job.runAt)")
            print(
                "finished:  \(job.finishedAt.map { "\($0)" } ?? "-")\npayload:   \(job.payload.text)\nerrors:    \(job.errors.text)"
            )
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run failed or cancelled jobs again, now, with fresh attempts.")
        @Argument(help: "Job ids.") var ids: [Int64] = []
        @Flag(help: "Every failed job (optionally of --queue).") var allFailed = false
        @Option(help: "With --all-failed: only this queue.") var queue: String?

        func run() async throws {
            let ids = self.ids
            let allFailed = self.allFailed
            let queue = self.queue
            guard allFailed || !ids.isEmpty else { throw ValidationError("give job ids or --all-failed") }
            let changed = try await Database.withPool { pool in
                try await pool.transaction { connection in
                    let targets =
                        allFailed
                        ? try JobQueue.list(state: "failed", queue: queue, limit: 100_000, on: connection).map(\.id)
                        : ids
                    return try JobQueue.retry(ids: targets, on: connection)
                }
            }
            print(
                "retrying \(changed.count) job(s)"
                    + (changed.isEmpty ? "" : ": " + changed.map(String.init).joined(separator: ", ")))
            if !allFailed, changed.count < ids.count { throw ExitCode(1) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel jobs that have not finished.")
        @Argument(help: "Job ids.") var ids: [Int64]

        func run() async throws {
            let ids = self.ids
            let changed = try await Database.withPool { pool in
                try await pool.withConnection { try JobQueue.cancel(ids: ids, on: $0) }
            }
            print(
                "cancelled \(changed.count) job(s)"
                    + (changed.isEmpty ? "" : ": " + changed.map(String.init).joined(separator: ", ")))
            if changed.count < ids.count { throw ExitCode(1) }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop every worker from claiming jobs of a queue.")
        @Argument(help: "The queue.") var queue: String

        func run() async throws {
            let queue = self.queue
            let user = ProcessInfo.processInfo.environment["USER"] ?? "operator"
            try await Database.withPool { pool in
                try await pool.withConnection { try JobQueue.pause(queue: queue, by: user, on: $0) }
            }
            print("paused \(queue)")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let workers claim jobs of a paused queue again.")
        @Argument(help: "The queue.") var queue: String

        func run() async throws {
            let queue = self.queue
            try await Database.withPool { pool in
                try await pool.withConnection { try JobQueue.resume(queue: queue, on: $0) }
            }
            print("resumed \(queue)")
        }
    }
}

/// Left-aligns `text` in a column of `width`.
func pad(_ text: some StringProtocol, _ width: Int) -> String {
    text.count >= width ? String(text) + " " : String(text) + String(repeating: " ", count: width - text.count)
}
