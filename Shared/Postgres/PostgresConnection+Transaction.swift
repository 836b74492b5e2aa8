import CLibPQ

extension PostgresConnection {
    /// Runs `body` between `BEGIN` and `COMMIT`; a thrown error rolls back and is rethrown.
    /// `BEGIN` goes out with the body's first statement, and the body's pipelined statements
    /// (`pipeline(_:_:)`) with the `COMMIT`, so a transaction costs no round trip of its own.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        pipeline("BEGIN")
        do {
            let value = try body()
            try query("COMMIT")
            return value
        } catch {
            // Statements never sent are dropped; a transaction that reached the server rolls back.
            discardPipeline()
            if isHealthy, PQtransactionStatus(handle) != PQTRANS_IDLE { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// True when the session is inside a transaction block (open or failed).
    var isIdleInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Quotes an identifier (channel or table name) for SQL text.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
