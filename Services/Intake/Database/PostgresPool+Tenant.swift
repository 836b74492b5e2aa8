import Postgres

extension PostgresPool {
    /// Runs `body` in a transaction as the API's role `fwa_api` with `fwa.tenant_id` set to
    /// `tenantID`, so that row-level security hides every other tenant's rows even from a query
    /// that forgets its tenant filter. The role and setting end with the transaction; they go out
    /// with the body's first statement (pipelined), costing no round trip of their own.
    ///
    /// The service's login role must be a member of `fwa_api` (a superuser is, in development).
    func tenantTransaction<T: Sendable>(
        _ tenantID: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await transaction { connection in
            connection.pipeline("SET LOCAL ROLE fwa_api")
            connection.pipeline("SELECT set_config('fwa.tenant_id', $1, true)", tenantID)
            return try body(connection)
        }
    }
}
