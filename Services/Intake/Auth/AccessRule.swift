import HTTPTypes

/// Who may call an operation: the operator, or a tenant API key holding one of `scopes`, with
/// or without a verified acting user. Keyed by method and route as the OpenAPI document
/// writes them; routes not listed are public (`/v1/actions/…`, health, metrics).
struct AccessRule: Sendable, Equatable {
    enum ActingUser: Sendable, Equatable { case none, optional, required }

    var operatorOnly: Bool
    var scopes: [String]
    var actingUser: ActingUser

    static func `operator`() -> AccessRule { AccessRule(operatorOnly: true, scopes: [], actingUser: .none) }

    static func key(_ scopes: String..., actingUser: ActingUser = .none) -> AccessRule {
        AccessRule(operatorOnly: false, scopes: scopes, actingUser: actingUser)
    }

    /// The rule for a request, nil for public routes.
    static func rule(method: HTTPRequest.Method, route: String?) -> AccessRule? {
        guard let route else { return nil }
        return table[method.rawValue + " " + route]
    }

    static let table: [String: AccessRule] = [
        "PUT /v1/tenants/{tenant}": .operator(),
        "GET /v1/tenants/{tenant}": .operator(),
        "PUT /v1/tenants/{tenant}/identity": .operator(),
        "GET /v1/tenants/{tenant}/versions": .operator(),
        "POST /v1/tenants/{tenant}/api-keys": .operator(),
        "GET /v1/tenants/{tenant}/api-keys": .operator(),
        "DELETE /v1/tenants/{tenant}/api-keys/{keyId}": .operator(),
        "POST /v1/tenants/{tenant}/requests": .key("requests:write", actingUser: .optional),
        "GET /v1/tenants/{tenant}/requests": .key("requests:read"),
        "GET /v1/tenants/{tenant}/requests/{id}": .key("requests:read"),
        "POST /v1/tenants/{tenant}/requests/{id}/decisions": .key("decisions:write", actingUser: .required),
        "POST /v1/tenants/{tenant}/requests/{id}/withdraw": .key("requests:write", actingUser: .required),
        "POST /v1/tenants/{tenant}/requests/{id}/terminate": .key("requests:write", actingUser: .required),
        "POST /v1/tenants/{tenant}/delegations": .key("delegations:write", actingUser: .required),
        "GET /v1/tenants/{tenant}/delegations": .key("delegations:write", "requests:read"),
        "DELETE /v1/tenants/{tenant}/delegations/{id}": .key("delegations:write", actingUser: .required),
        "GET /v1/tenants/{tenant}/alerts": .key("alerts:read"),
        // Only a holder of one of the alert's recipient roles acknowledges: the person must be known.
        "POST /v1/tenants/{tenant}/alerts/{id}/acknowledge": .key("alerts:write", actingUser: .required),
    ]
}
