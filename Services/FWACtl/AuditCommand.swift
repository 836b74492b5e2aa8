import ArgumentParser
import Storage

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute a tenant's audit hash chain; exit 1 if it is broken.")
        @Argument(help: "The tenant id.") var tenant: String

        func run() async throws {
            let tenant = self.tenant
            let result = try await Database.withPool { pool in try await pool.withConnection { try AuditLog.verify(tenantID: tenant, on: $0) } }
            if let broken = result.firstBrokenSeq {
                print("\(tenant): chain BROKEN at event \(broken) (\(result.count) events checked)")
                throw ExitCode(1)
            }
            print("\(tenant): chain intact, \(result.count) events")
        }
    }
}
