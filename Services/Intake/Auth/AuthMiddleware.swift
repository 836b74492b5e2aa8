import Crypto
import Foundation
import Hummingbird
import Postgres
import Storage

/// Authenticates and authorizes from the request's head, before any of its body is read (so an
/// unauthenticated upload costs no memory) and before the OpenAPI runtime parses anything (so a
/// missing credential is `401`, not the runtime's `400` for a missing header). Operator routes
/// take `FWA_ADMIN_TOKEN`; tenant routes take an API key of that tenant with the route's scope,
/// within the key's rate limit (`FWA_RATE_LIMIT_PER_KEY`), and verify `X-Acting-User` against
/// the tenant's identity settings. A key used on another tenant's path gets `404`, as if the
/// tenant did not exist. Action links carry their credential in the path: a token whose
/// signature does not verify is `404` before its body is read.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let adminToken: String
    let pool: PostgresPool
    let keys: APIKeyLookup
    let keyLimiter: RateLimiter
    let actionLinkSecret: String?

    static var actionRoute: String { "/v1/actions/{token}" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let rule = AccessRule.rule(method: request.method, route: context.endpointPath) else {
            if context.endpointPath == Self.actionRoute { try checkActionLink(context) }
            return try await next(request, context)
        }
        guard let tenant = context.parameters.get("tenant") else { throw APIProblem.notFound("The tenant") }
        let token = try Self.bearer(request)
        var principal: Principal
        if rule.operatorOnly {
            principal = try await authenticateOperator(token)
        } else {
            principal = try await authenticateKey(token, tenant: tenant, rule: rule)
            principal.actingUser = try await actingUser(request, tenant: tenant, rule: rule)
        }
        var scope = RequestScope.current ?? RequestScope(requestID: UUID().uuidString, logger: context.logger)
        scope.principal = principal
        return try await RequestScope.$current.withValue(scope) { try await next(request, context) }
    }

    /// `404` for an action link whose signature does not verify (or when links are off).
    private func checkActionLink(_ context: Context) throws(APIProblem) {
        guard let secret = actionLinkSecret, let token = context.parameters.get("token"),
            ActionLink.verify(token, secret: secret) != nil
        else {
            throw APIProblem.notFound("The action link")
        }
    }

    private static func bearer(_ request: Request) throws(APIProblem) -> String {
        guard let header = request.headers[.authorization] else {
            throw APIProblem(
                .unauthorized, "Send Authorization: Bearer <token>: the operator token or a tenant API key.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIProblem(.unauthorized, "The Authorization header must be \"Bearer <token>\".")
        }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    private func authenticateOperator(_ token: String) async throws -> Principal {
        if Self.constantTimeEqual(token, adminToken) { return Principal(credential: .operator, tenantID: nil) }
        if try await keys.find(secret: token) != nil {
            throw APIProblem(
                .forbidden, "This operation is for the platform operator; a tenant API key may not use it.")
        }
        throw APIProblem(.unauthorized, "The operator token is not valid.")
    }

    private func authenticateKey(_ token: String, tenant: String, rule: AccessRule) async throws -> Principal {
        guard let key = try await keys.find(secret: token) else {
            throw APIProblem(.unauthorized, "The API key is not valid or has been revoked.")
        }
        if case .limited(let seconds) = keyLimiter.take(key.id.uuidString) {
            throw APIProblem(
                .rateLimited,
                "Too many requests with this API key (more than \(keyLimiter.rate.perSecond) a second); retry after \(seconds) s.",
                retryAfter: seconds)
        }
        guard key.tenantID == tenant else { throw APIProblem.notFound("The tenant \"\(tenant)\"") }
        guard rule.scopes.contains(where: key.scopes.contains) else {
            throw APIProblem(
                .forbidden,
                "This API key lacks the scope this operation needs: \(rule.scopes.joined(separator: " or ")).")
        }
        return Principal(credential: .apiKey(id: key.id, name: key.name, scopes: key.scopes), tenantID: tenant)
    }

    private func actingUser(_ request: Request, tenant: String, rule: AccessRule) async throws -> String? {
        guard rule.actingUser != .none else { return nil }
        guard let token = request.headers[.init("X-Acting-User")!], !token.isEmpty else {
            if rule.actingUser == .optional { return nil }
            throw APIProblem(
                .unauthorized,
                "Send X-Acting-User: a token from the tenant's identity provider naming the person who acts (sub = email)."
            )
        }
        guard token.utf8.count <= 8192 else { throw APIProblem(.unauthorized, "X-Acting-User is too long.") }
        let identity = try await pool.tenantTransaction(tenant) { try TenantIdentity.load(tenantID: tenant, on: $0) }
        return try await ActingUserVerifier.verify(token, identity: identity).get()
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = SHA256.hash(data: Data(lhs.utf8))
        let right = SHA256.hash(data: Data(rhs.utf8))
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
