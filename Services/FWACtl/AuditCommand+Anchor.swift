import ArgumentParser
import Foundation
import Storage

extension AuditCommand {
    /// Exports each tenant's chain head, signed, out of the database owner's reach.
    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Seal new events, then write each tenant's chain head signed with an Ed25519 key (run it periodically).",
            discussion: """
                The key must be one the database owner does not hold, and DIR a place the owner cannot write \
                (docs/operations.md, "Audit anchors"). One file per tenant head: DIR/<tenant>/<seq>.json.
                """)
        @Option(help: "The Ed25519 private key (PEM, or 32 bytes in base64).") var key: String
        @Option(help: "The folder to write anchors into.") var out: String

        func run() async throws {
            let signingKey = try AuditAnchorKey.privateKey(from: try String(contentsOfFile: key, encoding: .utf8))
            let heads = try await Database.withPool { pool in
                try await pool.withConnection { connection in
                    try AuditLog.seal(on: connection)
                    return try AuditHead.all(on: connection)
                }
            }
            let folder = AnchorFolder(path: out)
            for head in heads {
                let path = try folder.write(try AuditAnchor.sign(head, with: signingKey))
                print("\(head.tenantID): anchored event \(head.seq) in \(path)")
            }
            if heads.isEmpty { print("no sealed events to anchor") }
        }
    }

    /// Makes a key pair for anchors.
    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write a new Ed25519 key pair for audit anchors (PEM): keep the private key away from the database owner."
        )
        @Option(help: "Where to write the private key (created with mode 600).") var privateKey: String
        @Option(help: "Where to write the public key.") var publicKey: String

        func run() async throws {
            let pair = AuditAnchorKey.generate()
            guard
                FileManager.default.createFile(
                    atPath: privateKey, contents: Data(pair.privatePEM.utf8), attributes: [.posixPermissions: 0o600])
            else {
                throw ValidationError("cannot write \(privateKey)")
            }
            try pair.publicPEM.write(toFile: publicKey, atomically: true, encoding: .utf8)
            print("private key: \(privateKey)\npublic key: \(publicKey)")
        }
    }
}
