import ArgumentParser
import Schema

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations (under an advisory lock; a no-op when current).")

    @Flag(help: "Only list the pending migrations.")
    var status = false

    func run() async throws {
        let migrator = try Schema.migrator()
        try await Database.withPool { pool in
            if status {
                let pending = try await migrator.pending(on: pool)
                print(
                    pending.isEmpty
                        ? "schema is current"
                        : pending.map { "pending \($0.version) \($0.name)" }.joined(separator: "\n"))
                return
            }
            let applied = try await migrator.migrate(on: pool, logger: Database.logger)
            print(
                applied.isEmpty
                    ? "schema is current" : applied.map { "applied \($0.version) \($0.name)" }.joined(separator: "\n"))
        }
    }
}
