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
        let key = try idempotencyKey(input.headers.idempotencyKey, tenant: tenant, method: "POST", path: "/v1/tenants/\(tenant)/api-keys", body: body)
        let secret = APIKeySecret.generate()
        let answer = try await pool.tenantTransaction(tenant) { connection in
            // The stored answer never holds the secret: a replay cannot show it again.
            try Idempotency.run(key, on: connection, redact: { $0.secret = "" }) {
                try Self.insertKey(tenant: tenant, body: body, secret: secret, on: connection)
            }
        }
        guard !answer.body.secret.isEmpty else {
            throw APIProblem(.conflict, "The first attempt with this Idempotency-Key created key \(answer.body.id); its secret was shown only then. Revoke it and create another if the secret was lost.")
        }
        let path = "/v1/tenants/\(tenant)/api-keys/\(answer.body.id)"
        return .created(.init(headers: .init(location: answer.location ?? location(path)), body: .json(answer.body)))
    }

    private static func insertKey(tenant: String, body: Components.Schemas.ApiKeyCreate, secret: String,
                                  on connection: PostgresConnection) throws -> StoredAnswer<Components.Schemas.ApiKeyCreated> {
        guard try connection.query("SELECT 1 FROM tenants WHERE id = $1", tenant).first != nil else {
            throw APIProblem.notFound("The tenant \"\(tenant)\"")
        }
        let id = UUID()
        let scopes = body.scopes.map(\.rawValue)
        let created: Date
        do {
            created = try connection.query("""
                INSERT INTO api_keys (id, tenant_id, name, secret_hash, scopes) VALUES ($1, $2, $3, $4, $5::text[]) RETURNING created_at
                """, id, tenant, body.name, APIKeySecret.hash(secret), scopes).first!.decode("created_at")
        } catch let error as PostgresError where error.isUniqueViolation {
            throw APIProblem(.conflict, "The tenant already has a live API key named \"\(body.name)\"; pick another name or revoke that key.")
        }
        try AuditLog.append(AuditEvent(tenantID: tenant, actor: "operator", action: "api_key_created",
                                       after: JSONText(encoding: ["id": id.uuidString.lowercased(), "name": body.name, "scopes": scopes.joined(separator: " ")])), on: connection)
        let idText = id.uuidString.lowercased()
        return StoredAnswer(status: 201, location: "/v1/tenants/\(tenant)/api-keys/\(idText)", body: .init(
            id: idText, name: body.name, scopes: body.scopes, secret: secret, createdAt: created))
    }

    func listApiKeys(_ input: Operations.ListApiKeys.Input) async throws -> Operations.ListApiKeys.Output {
        let tenant = input.path.tenant
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try PageCursor.parse(input.query.cursor)
        let (exists, rows) = try await pool.tenantTransaction(tenant) { connection in
            let exists = try connection.query("SELECT 1 FROM tenants WHERE id = $1", tenant).first != nil
            var filter = SQLFilter()
            filter.after(cursor, table: "api_keys", idType: "uuid")
            let limitClause = filter.limit(limit + 1)
            let rows = try connection.query("""
                SELECT id, tenant_id, name, array_to_string(scopes, ',') AS scopes, created_at, revoked_at FROM api_keys
                \(filter.whereClause) ORDER BY created_at DESC, id DESC \(limitClause)
                """, filter.parameters).rows.map(APIKeyRecord.init(row:))
            return (exists, rows)
        }
        guard exists else { throw APIProblem.notFound("The tenant \"\(tenant)\"") }
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { PageCursor(createdAt: $0.createdAt, id: $0.id.uuidString.lowercased()).token } : nil
        return .ok(.init(body: .json(.init(items: page.map { key in
            .init(id: key.id.uuidString.lowercased(), name: key.name,
                  scopes: key.scopes.sorted().compactMap(Components.Schemas.ApiKeyScope.init(rawValue:)),
                  createdAt: key.createdAt, revokedAt: key.revokedAt)
        }, nextCursor: next))))
    }

    func revokeApiKey(_ input: Operations.RevokeApiKey.Input) async throws -> Operations.RevokeApiKey.Output {
        let tenant = input.path.tenant
        let id = try uuid(input.path.keyId, "The API key")
        try await pool.tenantTransaction(tenant) { connection in
            guard let row = try connection.query("SELECT revoked_at FROM api_keys WHERE id = $1 FOR UPDATE", id).first else {
                throw APIProblem.notFound("The API key")
            }
            guard try row.decodeIfPresent("revoked_at", as: Date.self) == nil else { return }
            try connection.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", id)
            try AuditLog.append(AuditEvent(tenantID: tenant, actor: "operator", action: "api_key_revoked",
                                           after: JSONText(encoding: ["id": id.uuidString.lowercased()])), on: connection)
        }
        return .noContent(.init())
    }
}
