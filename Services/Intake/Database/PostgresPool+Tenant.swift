import Postgres

extension PostgresPool {
    /// Runs `body` in a transaction as the API's role `fwa_api` with `fwa.tenant_id` set to
    /// `tenantID`, so that row-level security hides every other tenant's rows even from a query
    /// that forgets its tenant filter. The role and setting end with the transaction; they go out
    /// with the body's first statement (pipelined), costing no round trip of their own.
    ///
    /// The service's login is a member of `fwa_intake`, which may switch to `fwa_api` but holds
    /// none of its privileges (migration 0006): outside this switch the login reads no table.
    func tenantTransaction<T: Sendable>(
        _ tenantID: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await scopedTransaction(as: "fwa_api", tenantID: tenantID, body)
    }

    /// Like `tenantTransaction`, as the role of the platform operator's routes, `fwa_operator`:
    /// it may also write the tenant's policy versions and identity settings, still only for
    /// `tenantID`. Call it only after the operator's token was checked.
    func operatorTransaction<T: Sendable>(
        _ tenantID: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await scopedTransaction(as: "fwa_operator", tenantID: tenantID, body)
    }

    private func scopedTransaction<T: Sendable>(
        as role: StaticString, tenantID: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await transaction { connection in
            connection.pipeline("SET LOCAL ROLE \(role)")
            connection.pipeline(prepared: "SELECT set_config('fwa.tenant_id', $1, true)", tenantID)
            return try body(connection)
        }
    }
}
