import Foundation
import Postgres
import Storage

/// Tenant API keys (platform operator). Secrets are shown once and stored as SHA-256 only.
extension IntakeAPI {
    func createApiKey(_ input: Operations.CreateApiKey.Input) async throws -> Operations.CreateApiKey.Output {
        let tenant = input.path.tenant
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        var check = Validator()
        check.length(body.name, "/name", min: 1, max: 100)
        if body.scopes.isEmpty { check.fail("/scopes", "must name at least one scope") }
        if Set(body.scopes).count != body.scopes.count { check.fail("/scopes", "must not repeat a scope") }
        try check.finish()
        let key = try idempotencyKey(
            input.headers.idempotencyKey, tenant: tenant, method: "POST", path: "/v1/tenants/\(tenant)/api-keys",
            body: body)
        let secret = APIKeySecret.generate()
        let answer = try await pool.tenantTransaction(tenant) { connection in
            // The stored answer never holds the secret: a replay cannot show it again.
            try Idempotency.run(key, on: connection, redact: { $0.secret = "" }) {
                try Self.insertKey(tenant: tenant, body: body, secret: secret, on: connection)
            }
        }
        guard !answer.body.secret.isEmpty else {
            throw APIProblem(
                .conflict,
                "The first attempt with this Idempotency-Key created key \(answer.body.id); its secret was shown only then. Revoke it and create another if the secret was lost."
            )
        }
        let path = "/v1/tenants/\(tenant)/api-keys/\(answer.body.id)"
        return .created(.init(headers: .init(location: answer.location ?? location(path)), body: .json(answer.body)))
    }

    private static func insertKey(
        tenant: String, body: Components.Schemas.ApiKeyCreate, secret: String,
        on connection: PostgresConnection
    ) throws -> StoredAnswer<Components.Schemas.ApiKeyCreated> {
        guard try TenantStore.exists(tenant, on: connection) else {
            throw APIProblem.notFound("The tenant \"\(tenant)\"")
        }
        let id = UUID()
        let scopes = body.scopes.map(\.rawValue)
        guard
            let created = try APIKeyStore.insert(
                id: id, tenantID: tenant, name: body.name, secretHash: APIKeySecret.hash(secret), scopes: scopes,
                on: connection)
        else {
            throw APIProblem(
                .conflict,
                "The tenant already has a live API key named \"\(body.name)\"; pick another name or revoke that key.")
        }
        try AuditLog.append(
            AuditEvent(
                tenantID: tenant, actor: "operator", action: "api_key_created",
                after: JSONText(encoding: [
                    "id": id.uuidString.lowercased(), "name": body.name, "scopes": scopes.joined(separator: " "),
                ])), on: connection)
        let idText = id.uuidString.lowercased()
        return StoredAnswer(
            status: 201, location: "/v1/tenants/\(tenant)/api-keys/\(idText)",
            body: .init(
                id: idText, name: body.name, scopes: body.scopes, secret: secret, createdAt: created))
    }

    func listApiKeys(_ input: Operations.ListApiKeys.Input) async throws -> Operations.ListApiKeys.Output {
        let tenant = input.path.tenant
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try PageCursor.parse(input.query.cursor)
        let (exists, rows) = try await pool.tenantTransaction(tenant) { connection in
            (
                try TenantStore.exists(tenant, on: connection),
                try APIKeyStore.page(after: cursor, limit: limit, on: connection)
            )
        }
        guard exists else { throw APIProblem.notFound("The tenant \"\(tenant)\"") }
        let page = Array(rows.prefix(limit))
        let next = PageCursor.next(after: page, fetched: rows.count, limit: limit) {
            ($0.createdAt, $0.id.uuidString.lowercased())
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.map { key in
                            .init(
                                id: key.id.uuidString.lowercased(), name: key.name,
                                scopes: key.scopes.sorted().compactMap(Components.Schemas.ApiKeyScope.init(rawValue:)),
                                createdAt: key.createdAt, revokedAt: key.revokedAt)
                        }, nextCursor: next))))
    }

    func revokeApiKey(_ input: Operations.RevokeApiKey.Input) async throws -> Operations.RevokeApiKey.Output {
        let tenant = input.path.tenant
        let id = try uuid(input.path.keyId, "The API key")
        try await pool.tenantTransaction(tenant) { connection in
            let revoked = try APIKeyStore.revoke(id, on: connection)
            guard revoked.found else { throw APIProblem.notFound("The API key") }
            guard revoked.changed else { return }
            try AuditLog.append(
                AuditEvent(
                    tenantID: tenant, actor: "operator", action: "api_key_revoked",
                    after: JSONText(encoding: ["id": id.uuidString.lowercased()])), on: connection)
        }
        return .noContent(.init())
    }
}
