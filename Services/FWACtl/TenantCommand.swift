import ArgumentParser
import Egress
import Foundation
import Policy
import Postgres
import Storage

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Validate, apply and inspect tenant policy files.",
        subcommands: [Validate.self, Apply.self, Diff.self, Show.self, Versions.self])

    /// Loads and validates a file, printing every problem; exits 1 on any.
    static func load(_ path: String) throws -> TenantPolicy {
        switch TenantFile.load(contentsOf: URL(fileURLWithPath: path)) {
        case .success(let policy):
            return policy
        case .failure(let problems):
            for problem in problems.problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
            FileHandle.standardError.write(Data("\(problems.problems.count) problem(s) in \(path)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The webhook rules of `FWA_WEBHOOK_ALLOW_HTTP` and `FWA_WEBHOOK_ALLOW_PRIVATE` (by default
    /// https to public addresses only), the same the intake and the notifier apply; exits 2 on a
    /// malformed value, naming the variable.
    static func webhookRules() throws -> WebhookRules {
        do {
            return try WebhookRules.read(ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("configuration error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Checks the policy's webhook URLs (resolving their hosts), printing each refusal as
    /// `file: roles[3].webhook_url: role payroll: …`; exits 1 on any.
    static func checkWebhooks(_ policy: TenantPolicy, file: String, rules: WebhookRules) async throws {
        for unresolved in await TenantWebhooks.unresolved(in: policy, rules: rules) {
            FileHandle.standardError.write(
                Data("\(file): \(unresolved.path): warning: \(unresolved.message) (checked again at every send)\n".utf8)
            )
        }
        let problems = await TenantWebhooks.problems(in: policy, rules: rules)
        guard !problems.isEmpty else { return }
        for problem in problems {
            FileHandle.standardError.write(Data("\(file): \(problem.path): \(problem.message)\n".utf8))
        }
        FileHandle.standardError.write(Data("\(problems.count) problem(s) in \(file)\n".utf8))
        throw ExitCode(1)
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check tenant files; print every problem with file, line, path and what was expected.")
        @Argument(help: "Tenant files (YAML or JSON).") var files: [String]

        func run() async throws {
            let rules = try TenantCommand.webhookRules()
            var failed = false
            for file in files {
                do {
                    let policy = try TenantCommand.load(file)
                    try await TenantCommand.checkWebhooks(policy, file: file, rules: rules)
                    print(
                        "\(file): ok (tenant \(policy.id), \(policy.arrangementTypes.count) arrangement types, \(policy.chain.count) approval steps)"
                    )
                } catch {
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a tenant file as the tenant's new active version (a no-op when unchanged).")
        @Argument(help: "Tenant files.") var files: [String]

        func run() async throws {
            let rules = try TenantCommand.webhookRules()
            let policies = try files.map { (file: $0, policy: try TenantCommand.load($0)) }
            // Every file is checked before any is applied: one refused webhook applies nothing.
            for (file, policy) in policies { try await TenantCommand.checkWebhooks(policy, file: file, rules: rules) }
            let actor = "fwactl:" + (ProcessInfo.processInfo.environment["USER"] ?? "operator")
            try await Database.withPool { pool in
                for (file, policy) in policies {
                    let source = URL(fileURLWithPath: file).lastPathComponent
                    let (record, created) = try await pool.transaction {
                        try TenantStore.apply(policy, source: source, actor: actor, on: $0)
                    }
                    print(
                        created
                            ? "\(policy.id): applied version \(record.version) (sha256 \(record.sha256.prefix(12)))"
                            : "\(policy.id): unchanged (version \(record.version))")
                }
            }
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what applying a file would change in the tenant's active version.")
        @Argument(help: "A tenant file.") var file: String

        func run() async throws {
            let policy = try TenantCommand.load(file)
            let active = try await Database.withPool { pool in
                try await pool.withConnection { try TenantStore.active(tenantID: policy.id, on: $0) }
            }
            guard let active else {
                print("\(policy.id): new tenant; applying creates version 1")
                return
            }
            let changes = PolicyDiff.lines(
                from: try TenantStore.canonical(active.policy).json, to: try TenantStore.canonical(policy).json)
            if changes.isEmpty {
                print("\(policy.id): no change from version \(active.record.version)")
            } else {
                print("\(policy.id): changes from version \(active.record.version):")
                changes.forEach { print($0) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a tenant's active policy (JSON) and its version.")
        @Argument(help: "The tenant id.") var id: String

        func run() async throws {
            let id = self.id
            guard
                let active = try await Database.withPool({ pool in
                    try await pool.withConnection { try TenantStore.active(tenantID: id, on: $0) }
                })
            else {
                throw ValidationError("no tenant \(id)")
            }
            print(
                "# tenant \(id), version \(active.record.version), sha256 \(active.record.sha256), applied \(active.record.createdAt)"
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(active.policy), as: UTF8.self))
        }
    }

    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's policy versions, newest first.")
        @Argument(help: "The tenant id.") var id: String

        func run() async throws {
            let id = self.id
            let versions = try await Database.withPool { pool in
                try await pool.withConnection { try TenantStore.versions(tenantID: id, on: $0) }
            }
            for version in versions {
                print(
                    "\(version.active ? "*" : " ") v\(version.version)  \(version.createdAt)  \(version.sha256.prefix(12))  \(version.source)"
                )
            }
            if versions.isEmpty { throw ValidationError("no tenant \(id)") }
        }
    }
}
