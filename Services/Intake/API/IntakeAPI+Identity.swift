import Foundation
import Postgres
import Storage

/// The tenant's identity provider settings (platform operator).
extension IntakeAPI {
    func putTenantIdentity(_ input: Operations.PutTenantIdentity.Input) async throws
        -> Operations.PutTenantIdentity.Output
    {
        let tenant = input.path.tenant
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        let identity = try await Self.identity(from: body)
        let key = try idempotencyKey(
            input.headers.idempotencyKey, tenant: tenant, method: "PUT", path: "/v1/tenants/\(tenant)/identity",
            body: body)
        let answer = try await pool.operatorTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                guard try TenantStore.exists(tenant, on: connection) else {
                    throw APIProblem.notFound("The tenant \"\(tenant)\"")
                }
                try identity.save(tenantID: tenant, on: connection)
                let summary = Components.Schemas.TenantIdentity(
                    tenant: tenant, issuer: identity.issuer, audience: identity.audience ?? "",
                    maxTokenLifetimeSeconds: Int32(identity.maxTokenLifetimeSeconds),
                    hs256: identity.hs256Secret != nil,
                    publicKeys: identity.publicKeysPEM.count, jwks: identity.jwks != nil)
                try AuditLog.append(
                    AuditEvent(
                        tenantID: tenant, actor: "operator", action: "identity_updated",
                        after: JSONText(encoding: summary)), on: connection)
                return StoredAnswer(status: 200, location: nil, body: summary)
            }
        }
        return .ok(.init(body: .json(answer.body)))
    }

    /// Checks every setting and returns them, or `422 validation` with each one at fault.
    static func identity(from body: Components.Schemas.TenantIdentitySettings) async throws -> TenantIdentity {
        var check = Validator()
        check.length(body.issuer, "/issuer", min: 1, max: 500)
        check.length(body.audience, "/audience", min: 1, max: 500)
        let lifetime = body.maxTokenLifetimeSeconds.map(Int.init) ?? TenantIdentity.defaultMaxTokenLifetime
        if !TenantIdentity.lifetimeRange.contains(lifetime) {
            check.fail(
                "/max_token_lifetime_seconds",
                "must be between \(TenantIdentity.lifetimeRange.lowerBound) and \(TenantIdentity.lifetimeRange.upperBound) seconds"
            )
        }
        check.length(body.hs256Secret, "/hs256_secret", min: 32, max: 512)
        let pems = body.publicKeysPem ?? []
        if pems.count > 10 { check.fail("/public_keys_pem", "must have at most 10 keys") }
        for (index, pem) in pems.enumerated() where !ActingUserVerifier.isUsablePublicKey(pem) {
            check.fail("/public_keys_pem/\(index)", "must be a PEM public key, RSA (RS256) or P-256 (ES256)")
        }
        var jwks: String?
        if let document = body.jwks {
            let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
            if await ActingUserVerifier.isUsableJWKS(text) {
                jwks = text
            } else {
                check.fail("/jwks", "must be a JWKS document {\"keys\": [...]} with usable keys")
            }
        }
        if body.hs256Secret == nil, pems.isEmpty, body.jwks == nil {
            check.fail("", "give at least one key: hs256_secret, public_keys_pem or jwks")
        }
        try check.finish()
        return TenantIdentity(
            issuer: body.issuer, audience: body.audience, hs256Secret: body.hs256Secret, publicKeysPEM: pems,
            jwks: jwks,
            maxTokenLifetimeSeconds: lifetime)
    }
}
