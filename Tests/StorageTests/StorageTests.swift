import Foundation
import Policy
import Postgres
import Storage
import TestSupport
import Testing

/// A seed tenant's policy under a fresh id, so that tests do not collide.
func seedPolicy(_ file: String = "mit", id: String) throws -> TenantPolicy {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    var policy = try TenantFile.load(contentsOf: root.appendingPathComponent("deploy/tenants/\(file).yaml")).get()
    policy.id = id
    return policy
}

@Suite("Tenant versions")
struct TenantStoreTests {
    @Test("applying stores version 1, re-applying the same policy is a no-op, a change makes version 2")
    func versions() async throws {
        let pool = try await TestDatabase.pool()
        let id = "t-" + TestDatabase.uniqueName("v").replacingOccurrences(of: "_", with: "-")
        var policy = try seedPolicy(id: id)
        let first = try await pool.transaction { [policy] in
            try TenantStore.apply(policy, source: "mit.yaml", actor: "test", on: $0)
        }
        let again = try await pool.transaction { [policy] in
            try TenantStore.apply(policy, source: "mit.yaml", actor: "test", on: $0)
        }
        #expect(first.created && first.record.version == 1)
        #expect(!again.created && again.record.version == 1)
        policy.name += " (renamed)"
        let second = try await pool.transaction { [policy] in
            try TenantStore.apply(policy, source: "mit.yaml", actor: "test", on: $0)
        }
        #expect(second.created && second.record.version == 2)
        #expect(second.record.sha256 != first.record.sha256)
        let active = try #require(try await pool.withConnection { try TenantStore.active(tenantID: id, on: $0) })
        #expect(active.policy == policy)
        #expect(active.record.version == 2)
        let old = try await pool.withConnection { try TenantStore.policy(tenantID: id, version: 1, on: $0) }
        #expect(old?.name == policy.name.replacingOccurrences(of: " (renamed)", with: ""))
        let listed = try await pool.withConnection { try TenantStore.versions(tenantID: id, on: $0) }
        #expect(listed.map(\.version) == [2, 1])
        #expect(listed.map(\.active) == [true, false])
    }
}

@Suite("Audit trail")
struct AuditLogTests {
    @Test("events are sealed into a hash chain, verify finds it intact, and a tampered event breaks it")
    func chain() async throws {
        let pool = try await TestDatabase.pool()
        let id = "t-" + TestDatabase.uniqueName("a").replacingOccurrences(of: "_", with: "-")
        _ = try await pool.transaction {
            try TenantStore.apply(try seedPolicy(id: id), source: "mit.yaml", actor: "test", on: $0)
        }
        let request = UUID()
        for action in ["submitted", "step_opened", "decided"] {
            try await pool.transaction { connection in
                AuditLog.append(
                    AuditEvent(
                        tenantID: id, requestID: request, actor: "ada@example.edu", action: action,
                        after: JSONText("{\"note\": \"it's \\\"quoted\\\" | piped\"}")), on: connection)
            }
        }
        // Written: four events, sealed or waiting for a sealer (other suites seal concurrently).
        let written = try await pool.withConnection { try AuditLog.verify(tenantID: id, on: $0) }
        #expect(written.count + written.unsealed == 4)
        #expect(written.isIntact)
        let intact = try await TestDatabase.sealedAudit(tenantID: id, pool: pool)
        #expect(intact.count == 4 && intact.isIntact && intact.unsealed == 0)
        let seqs = try await pool.withConnection { connection in
            try connection.query("SELECT seq FROM events WHERE tenant_id = $1 ORDER BY id", id).rows.map {
                try $0.decode("seq", as: Int64.self)
            }
        }
        #expect(seqs == [1, 2, 3, 4])

        let updateRefused = await #expect(throws: PostgresError.self) {
            try await pool.withConnection {
                try $0.query("UPDATE events SET actor = 'mallory' WHERE tenant_id = $1 AND seq = 3", id)
            }
        }
        #expect(updateRefused?.message.contains("append-only") == true)
        let resealRefused = await #expect(throws: PostgresError.self) {
            try await pool.withConnection {
                try $0.query("UPDATE events SET hash = repeat('0', 64) WHERE tenant_id = $1 AND seq = 3", id)
            }
        }
        #expect(resealRefused?.message.contains("append-only") == true)
        // Someone with the power to bypass triggers edits an event: verify must notice.
        try await pool.withConnection { connection in
            try connection.execute("SET session_replication_role = replica")
            try connection.query("UPDATE events SET actor = 'mallory@example.edu' WHERE tenant_id = $1 AND seq = 3", id)
            try connection.execute("SET session_replication_role = DEFAULT")
        }
        let broken = try await pool.withConnection { try AuditLog.verify(tenantID: id, on: $0) }
        #expect(broken.firstBrokenSeq == 3)
    }

    @Test("a writer cannot seal its own event, and an unsealed event cannot be edited or sealed with a wrong hash")
    func onlyTheSealerSeals() async throws {
        let pool = try await TestDatabase.pool()
        let id = "t-" + TestDatabase.uniqueName("s").replacingOccurrences(of: "_", with: "-")
        _ = try await pool.transaction {
            try TenantStore.apply(try seedPolicy(id: id), source: "mit.yaml", actor: "test", on: $0)
        }
        let forged = await #expect(throws: PostgresError.self) {
            try await pool.withConnection {
                try $0.query(
                    "INSERT INTO events (tenant_id, actor, action, seq, prev_hash, hash) VALUES ($1, 'x', 'forged', 99, 'x', 'x')",
                    id)
            }
        }
        #expect(forged?.sqlState == "42501")
        let event: Int64 = try await pool.transaction { connection in
            AuditLog.append(AuditEvent(tenantID: id, actor: "ada@example.edu", action: "noted"), on: connection)
            return try connection.query("SELECT max(id) AS id FROM events WHERE tenant_id = $1", id).first!.decode("id")
        }
        let edited = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("UPDATE events SET actor = 'mallory' WHERE id = $1", event) }
        }
        #expect(edited?.sqlState == "42501")
        let badSeal = await #expect(throws: PostgresError.self) {
            try await pool.withConnection {
                try $0.query(
                    "UPDATE events SET seq = 2, prev_hash = repeat('0', 64), hash = repeat('f', 64) WHERE id = $1",
                    event)
            }
        }
        #expect(badSeal?.sqlState == "42501")
        let deleted = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("DELETE FROM events WHERE id = $1", event) }
        }
        #expect(deleted?.sqlState == "42501")
        let result = try await TestDatabase.sealedAudit(tenantID: id, pool: pool)
        #expect(result.count == 2 && result.isIntact)
    }

    @Test("concurrent appends and concurrent sealers never fork a chain")
    func concurrentAppends() async throws {
        let pool = try await TestDatabase.pool(maxConnections: 6)
        let id = "t-" + TestDatabase.uniqueName("c").replacingOccurrences(of: "_", with: "-")
        _ = try await pool.transaction {
            try TenantStore.apply(try seedPolicy(id: id), source: "mit.yaml", actor: "test", on: $0)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<30 {
                group.addTask {
                    _ = try await pool.transaction {
                        AuditLog.append(AuditEvent(tenantID: id, actor: "w\(index)", action: "noted"), on: $0)
                    }
                }
                if index % 10 == 0 {
                    group.addTask { _ = try await pool.withConnection { try AuditLog.seal(batch: 7, on: $0) } }
                }
            }
            try await group.waitForAll()
        }
        let result = try await TestDatabase.sealedAudit(tenantID: id, pool: pool)
        #expect(result.count == 31 && result.isIntact && result.unsealed == 0)
    }
}
