import Foundation
import Policy
import Postgres
import Storage

/// The handlers of the operations in `openapi.yaml`. Authentication has already happened in
/// `AuthMiddleware`; handlers read the verified principal from `RequestScope` and do the
/// authorization that depends on data (who may decide a step, withdraw a request…).
struct IntakeAPI: APIProtocol {
    let pool: PostgresPool
    let configuration: IntakeConfiguration
    let engines = PolicyEngineCache()

    /// The verified caller; the middleware always sets it on protected routes.
    func principal() throws(APIProblem) -> Principal {
        guard let principal = RequestScope.current?.principal else {
            throw APIProblem(.unauthorized, "Authentication required.")
        }
        return principal
    }

    /// The acting person, required by the operation (the middleware verified the token).
    func actingUser() throws(APIProblem) -> String {
        guard let user = try principal().actingUser else {
            throw APIProblem(.unauthorized, "Send X-Acting-User naming the person who acts.")
        }
        return user
    }

    /// An absolute URL when `FWA_PUBLIC_URL` is set, else the path.
    func location(_ path: String) -> String { configuration.publicURL + path }

    /// A path id as a UUID; anything else is a resource that does not exist.
    func uuid(_ text: String, _ what: String) throws(APIProblem) -> UUID {
        guard let id = UUID(uuidString: text) else { throw APIProblem.notFound(what) }
        return id
    }

    /// The idempotency key of a tenant-scoped write by the current principal.
    func idempotencyKey(_ clientKey: String?, tenant: String, method: String, path: String, body: some Encodable) throws
        -> IdempotencyKey?
    {
        try IdempotencyKey(
            clientKey, tenantID: tenant, credential: try principal().idempotencyScope, method: method, path: path,
            body: body)
    }

    /// The request as the API shows it after a command changed it in this transaction.
    static func detail(_ id: UUID, on connection: PostgresConnection) throws -> Components.Schemas.RequestDetail {
        guard let detail = try RequestDetailView.load(id, on: connection) else {
            throw APIProblem.notFound("The request")
        }
        return detail
    }

    /// Today in the tenant's time zone.
    static func today(_ engine: PolicyEngine) -> CivilDate {
        BusinessCalendar.localDate(at: Date(), timeZone: engine.policy.timeZone)
    }
}

/// A stand-in body for idempotency hashes of operations without one.
struct EmptyBody: Codable, Sendable {}
