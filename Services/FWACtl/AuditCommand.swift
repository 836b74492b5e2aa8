import ArgumentParser
import Foundation
import Storage

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self, Anchor.self, Keygen.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Seal the audit trail's new events, then recompute a tenant's hash chain and check its anchors; exit 1 if anything is broken.",
            discussion: """
                With --anchors and --public-key, every anchor in DIR (of the tenant, or of every tenant when none is named) \
                must carry a valid signature and the chain must still have that exact hash at that event: a history \
                rewritten and re-hashed by the database owner fails here, though its chain alone looks intact.
                """)
        @Argument(help: "The tenant id (optional with --anchors: then every anchored tenant).") var tenant: String?
        @Option(help: "A folder of anchors written by `fwactl audit anchor`.") var anchors: String?
        @Option(help: "The Ed25519 public key the anchors were signed with (PEM, or 32 bytes in base64).")
        var publicKey: String?

        func validate() throws {
            if (anchors == nil) != (publicKey == nil) {
                throw ValidationError("--anchors and --public-key go together")
            }
            if tenant == nil, anchors == nil {
                throw ValidationError("name a tenant, or give --anchors and --public-key")
            }
        }

        func run() async throws {
            let anchored = try anchors.map { try AnchorFolder(path: $0).anchors(tenant: tenant) } ?? []
            let key = try publicKey.map {
                try AuditAnchorKey.publicKey(from: try String(contentsOfFile: $0, encoding: .utf8))
            }
            if let anchors, anchored.isEmpty {
                print("no anchors\(tenant.map { " of \($0)" } ?? "") in \(anchors): nothing to check them against")
                throw ExitCode(1)
            }
            let tenants = tenant.map { [$0] } ?? Set(anchored.map(\.anchor.tenantID)).sorted()
            let (chains, current) = try await Database.withPool { pool in
                try await pool.withConnection { connection in
                    try AuditLog.seal(on: connection)
                    let chains = try tenants.map { ($0, try AuditLog.verify(tenantID: $0, on: connection)) }
                    let current = try anchored.map {
                        try AuditHead.hash(tenantID: $0.anchor.tenantID, seq: $0.anchor.seq, on: connection)
                    }
                    return (chains, current)
                }
            }
            var broken = false
            for (tenant, result) in chains {
                if let seq = result.firstBrokenSeq {
                    print("\(tenant): chain BROKEN at event \(seq) (\(result.count) events checked)")
                    broken = true
                } else {
                    let pending = result.unsealed == 0 ? "" : " (\(result.unsealed) written since, not sealed yet)"
                    print("\(tenant): chain intact, \(result.count) events\(pending)")
                }
            }
            if let key {
                for ((path, anchor), hash) in zip(anchored, current) {
                    if let problem = Self.problem(anchor, currentHash: hash, key: key) {
                        print("\(anchor.tenantID): anchor \(path) FAILS: \(problem)")
                        broken = true
                    }
                }
                if !broken { print("\(anchored.count) anchors checked: every one signed and still in the chain") }
            }
            if broken { throw ExitCode(1) }
        }

        /// What is wrong with one anchor, or nil.
        static func problem(_ anchor: AuditAnchor, currentHash: String?, key: AuditAnchorKey.PublicKey) -> String? {
            if !anchor.isSigned(by: key) { return "the signature does not match the public key" }
            guard let currentHash else { return "event \(anchor.seq) is no longer in the chain (history truncated)" }
            if currentHash != anchor.hash {
                return
                    "event \(anchor.seq) now hashes to \(currentHash), anchored as \(anchor.hash) (history rewritten)"
            }
            return nil
        }
    }
}
