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

    /// What an idempotency key is scoped to: the credential and the acting person, so that
    /// another person replaying someone's key with the same API key does the work as themselves
    /// (and is refused if they may not) instead of receiving the first person's answer.
    var idempotencyScope: String {
        actingUser.map { credentialID + "\nacting:" + $0 } ?? credentialID
    }

    /// An id for the credential.
    var credentialID: String {
        switch credential {
        case .operator: return "operator"
        case .apiKey(let id, _, _): return id.uuidString.lowercased()
        }
    }
}
