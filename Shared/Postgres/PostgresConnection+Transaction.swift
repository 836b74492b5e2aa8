import CLibPQ

extension PostgresConnection {
    /// Runs `body` between `BEGIN` and `COMMIT`; a thrown error rolls back and is rethrown.
    /// `BEGIN` goes out with the body's first statement, and the body's pipelined statements
    /// (`pipeline(_:_:)`) with the `COMMIT`, so a transaction costs no round trip of its own.
    /// Channels passed to `notifyAfterCommit` are notified right after the COMMIT, in the same round trip.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        pipeline("BEGIN")
        isInTransactionBody = true
        defer {
            isInTransactionBody = false
            wakeChannels.removeAll()
        }
        do {
            let value = try body()
            if wakeChannels.isEmpty {
                try query("COMMIT")
            } else {
                try commitAndWake()
            }
            return value
        } catch {
            // Statements never sent are dropped; a transaction that reached the server rolls back.
            discardPipeline()
            rollBackIfOpen()
            throw error
        }
    }

    /// Notifies `channel` once the running transaction has committed, and not at all if it rolls
    /// back; outside a transaction, as an autocommit statement in the connection's pipeline (sent
    /// with its next answered statement, or when the pool takes it back). Each channel is notified
    /// once per transaction.
    ///
    /// Why not `pg_notify` inside the transaction: PostgreSQL serializes the commits of notifying
    /// transactions on one lock for the whole cluster, held through the commit's WAL flush, so
    /// concurrent notifying transactions cannot share a flush (measured: the SQL of an intake
    /// submit ran 814 transactions/s at 8 clients with its notification inside, 2,175 without).
    /// Here the notification goes out in a transaction of its own, right after the COMMIT in the
    /// same round trip, committed asynchronously (`synchronous_commit = off`): it holds that lock
    /// for microseconds and makes the work's COMMIT wait for nothing. The work is committed and
    /// visible before the notification is sent. A notification lost to a crash in between only
    /// delays the work until the listeners' next poll.
    public func notifyAfterCommit(_ channel: String) {
        if isInTransactionBody {
            if !wakeChannels.contains(channel) { wakeChannels.append(channel) }
        } else {
            pipeline(prepared: Self.notifySQL, channel)
        }
    }

    private static let notifySQL = "SELECT pg_notify($1, '')"

    /// COMMIT, then the wake-up transaction, in one pipeline. Only the COMMIT's error is thrown:
    /// once it has succeeded the work is done, whatever becomes of the notifications.
    private func commitAndWake() throws {
        pipeline("COMMIT")
        pipelineWakeUp(wakeChannels)
        _ = try flushPipeline(then: nil)
        rollBackIfOpen()  // a wake-up that failed leaves its own transaction open
    }

    /// Runs one prepared statement in a transaction of its own and notifies `channels` once it
    /// has committed, in one round trip: `BEGIN`, the statement, `COMMIT`, then the wake-up
    /// transaction (see `notifyAfterCommit`). Returns the statement's rows; throws its error or the
    /// COMMIT's, and then nobody is woken. For a single-statement change whose workers should not
    /// make its durable commit hold PostgreSQL's notification lock (an enqueue on its own).
    public func committing(prepared sql: String, _ parameters: [any PostgresEncodable], thenNotify channels: [String])
        throws -> PostgresResult
    {
        precondition(!isInTransactionBody, "committing(prepared:) runs its own transaction")
        pipelined.append(PipelinedStatement(sql: "BEGIN", texts: [], keepsResult: false))
        pipeline(prepared: sql, parameters)
        pipelined.append(PipelinedStatement(sql: "COMMIT", texts: [], keepsResult: false))
        pipelineWakeUp(channels)
        defer { rollBackIfOpen() }  // the statement's failed transaction, or a failed wake-up's
        return try flushPipeline(then: nil)
    }

    /// The wake-up transaction: quiet statements, committed asynchronously.
    private func pipelineWakeUp(_ channels: [String]) {
        pipelined.append(PipelinedStatement(sql: "BEGIN", texts: [], quiet: true))
        pipelined.append(PipelinedStatement(sql: "SET LOCAL synchronous_commit TO off", texts: [], quiet: true))
        for channel in channels {
            pipelined.append(PipelinedStatement(sql: Self.notifySQL, texts: [channel], prepared: true, quiet: true))
        }
        pipelined.append(PipelinedStatement(sql: "COMMIT", texts: [], quiet: true))
    }

    /// Rolls back a transaction the session was left in (one that failed, or whose COMMIT never ran).
    private func rollBackIfOpen() {
        if isHealthy, PQtransactionStatus(handle) != PQTRANS_IDLE { try? execute("ROLLBACK") }
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
