import Foundation
import Logging

/// What the middleware learns about the request being served, visible to the OpenAPI handlers
/// (which do not see Hummingbird's context) through a task-local value.
struct RequestScope: Sendable {
    /// The id echoed in `X-Request-ID` and present in every log line of the request.
    var requestID: String
    /// A logger carrying `request_id` and, once known, `tenant_id`.
    var logger: Logger
    /// Who is calling; nil on public routes.
    var principal: Principal?

    @TaskLocal static var current: RequestScope?
}

/// A verified credential and, when sent, the verified acting person.
struct Principal: Sendable {
    enum Credential: Sendable, Equatable {
        /// The platform operator (`FWA_ADMIN_TOKEN`).
        case `operator`
        /// A tenant API key.
        case apiKey(id: UUID, name: String, scopes: Set<String>)
    }

    var credential: Credential
    /// The tenant the credential acts for (the path's tenant; nil for the operator).
    var tenantID: String?
    /// The verified `sub` of `X-Acting-User` (an email, lowercased), when sent.
    var actingUser: String?

    /// Who to name in the audit trail: the acting person, else the key or the operator.
    var actor: String {
        if let actingUser { return actingUser }
        switch credential {
        case .operator: return "operator"
        case .apiKey(_, let name, _): return "api-key:" + name
        }
    }

    /// An id for the credential, used to scope idempotency keys.
    var credentialID: String {
        switch credential {
        case .operator: return "operator"
        case .apiKey(let id, _, _): return id.uuidString.lowercased()
        }
    }
}
