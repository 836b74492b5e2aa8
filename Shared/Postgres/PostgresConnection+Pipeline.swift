import CLibPQ

/// A statement waiting in a connection's pipeline.
struct PipelinedStatement {
    let sql: String
    let texts: [String?]
    /// Runs as a statement prepared on the session (prepared in the same pipeline the first time).
    var prepared = false
    /// Its error is not thrown: it runs after the work it follows has committed (a wake-up).
    var quiet = false
    /// Its rows are what the pipeline returns, unless a later statement's are (`BEGIN` and
    /// `COMMIT` around a statement whose rows the caller wants say false).
    var keepsResult = true
}

extension PostgresConnection {
    /// Adds a statement whose answer the caller does not need to the connection's pipeline: it is
    /// sent together with the next statement that needs an answer (`query`, `execute`, the
    /// `COMMIT` of `transaction`, or the pool taking the connection back), all in one round trip (libpq pipeline mode), and runs in order
    /// before it. An error of a pipelined statement is thrown by that later call, and the server
    /// skips everything after it; inside a transaction the whole transaction then rolls back.
    public func pipeline(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        pipelined.append(PipelinedStatement(sql: sql, texts: parameters.map { $0.postgresText }))
    }

    /// Adds a statement with variadic parameters to the pipeline.
    public func pipeline(_ sql: String, _ first: any PostgresEncodable, _ rest: any PostgresEncodable...) {
        pipeline(sql, [first] + rest)
    }

    /// Adds a statement to the pipeline as a prepared statement of the session (see
    /// `query(prepared:)`): its first use prepares it in the same round trip, later uses only
    /// bind and execute it. For the fixed statements of hot paths.
    public func pipeline(prepared sql: String, _ parameters: [any PostgresEncodable] = []) {
        pipelined.append(PipelinedStatement(sql: sql, texts: parameters.map { $0.postgresText }, prepared: true))
    }

    /// Adds a prepared statement with variadic parameters to the pipeline.
    public func pipeline(prepared sql: String, _ first: any PostgresEncodable, _ rest: any PostgresEncodable...) {
        pipeline(prepared: sql, [first] + rest)
    }

    /// True while pipelined statements wait to be sent.
    public var hasPipelinedStatements: Bool { !pipelined.isEmpty }

    /// Sends the waiting statements now; throws the first error.
    public func sendPipeline() throws {
        if !pipelined.isEmpty { _ = try flushPipeline(then: nil) }
    }

    /// Drops the statements not sent yet (a transaction that failed before they went out).
    func discardPipeline() {
        pipelined.removeAll()
    }

    /// Sends the waiting statements and `last` (if any) in one pipeline and returns `last`'s result
    /// (an empty one without `last`). Throws the first error.
    func flushPipeline(then last: PipelinedStatement?) throws -> PostgresResult {
        var statements = pipelined
        pipelined.removeAll()
        if let last { statements.append(last) }
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(kind: .connection, message: "cannot enter pipeline mode: \(lastErrorMessage)")
        }
        defer { PQexitPipelineMode(handle) }
        // What each answer in the pipeline belongs to: a statement, or the preparation of one.
        var answers: [(sql: String, name: String?, quiet: Bool, keeps: Bool)] = []
        var preparing: [String: String] = [:]
        for statement in statements {
            var name: String?
            if statement.prepared {
                if let known = prepared[statement.sql] ?? preparing[statement.sql] {
                    name = known
                } else {
                    let fresh = nextPreparedName()
                    guard PQsendPrepare(handle, fresh, statement.sql, Int32(statement.texts.count), nil) == 1 else {
                        throw PostgresError(kind: .connection, message: lastErrorMessage)
                    }
                    preparing[statement.sql] = fresh
                    answers.append((statement.sql, fresh, statement.quiet, false))
                    name = fresh
                }
            }
            let sent = withCStrings(statement.texts) { pointers in
                if let name {
                    return PQsendQueryPrepared(handle, name, Int32(statement.texts.count), pointers, nil, nil, 0)
                }
                return PQsendQueryParams(
                    handle, statement.sql, Int32(statement.texts.count), nil, pointers, nil, nil, 0)
            }
            guard sent == 1 else { throw PostgresError(kind: .connection, message: lastErrorMessage) }
            answers.append((statement.sql, nil, statement.quiet, statement.keepsResult))
        }
        guard PQpipelineSync(handle) == 1 else { throw PostgresError(kind: .connection, message: lastErrorMessage) }
        var firstError: (any Error)?
        var lastResult = PostgresResult(rows: [], affectedRows: 0)
        for answer in answers {
            while let result = PQgetResult(handle) {
                if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                    PQclear(result)
                    continue
                }
                do {
                    let consumed = try consume(result)
                    // A preparation counts only once the server has it (an aborted one never ran).
                    if let name = answer.name {
                        prepared[answer.sql] = name
                    } else if !answer.quiet, answer.keeps {
                        lastResult = consumed
                    }
                } catch {
                    if firstError == nil, !answer.quiet { firstError = error }
                }
            }
        }
        // The sync point's own result closes the pipeline.
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let firstError { throw firstError }
        if !isHealthy { throw PostgresError(kind: .connection, message: lastErrorMessage) }
        return lastResult
    }
}
