import ArgumentParser
import Storage

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal the audit trail's new events, then recompute a tenant's hash chain; exit 1 if it is broken.")
        @Argument(help: "The tenant id.") var tenant: String

        func run() async throws {
            let tenant = self.tenant
            let result = try await Database.withPool { pool in
                try await pool.withConnection { connection in
                    try AuditLog.seal(on: connection)
                    return try AuditLog.verify(tenantID: tenant, on: connection)
                }
            }
            if let broken = result.firstBrokenSeq {
                print("\(tenant): chain BROKEN at event \(broken) (\(result.count) events checked)")
                throw ExitCode(1)
            }
            let pending = result.unsealed == 0 ? "" : " (\(result.unsealed) written since, not sealed yet)"
            print("\(tenant): chain intact, \(result.count) events\(pending)")
        }
    }
}
