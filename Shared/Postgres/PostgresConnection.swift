import CLibPQ
import Foundation

/// One libpq connection. Every call blocks: use it only from a thread-pool thread (the pool's
/// `withConnection` and `transaction` run their bodies there).
///
/// `@unchecked Sendable`: the connection is owned by one caller at a time (the pool hands it out
/// exclusively and takes it back), so libpq's "one thread at a time" rule holds.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    /// The session's socket, read once at connect (`hasPendingInput` makes no libpq call).
    private let socket: Int32
    /// Statements added with `pipeline(_:_:)`, not sent yet (see PostgresConnection+Pipeline).
    var pipelined: [PipelinedStatement] = []
    /// The statements prepared on this session, by SQL text → statement name.
    var prepared: [String: String] = [:]
    /// How many statement names this session has handed out (names are never reused).
    var preparedNames = 0
    /// True while the body of `transaction` runs.
    public internal(set) var isInTransactionBody = false
    /// Channels to notify once the running transaction has committed (`notifyAfterCommit`).
    var wakeChannels: [String] = []

    private init(handle: OpaquePointer) {
        self.handle = handle
        self.socket = PQsocket(handle)
    }

    deinit { PQfinish(handle) }

    /// Connects with a libpq connection string or URI ("" reads the `PG*` variables).
    public static func connect(_ conninfo: String) throws -> PostgresConnection {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        let connection = PostgresConnection(handle: handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(kind: .connection, message: connection.lastErrorMessage)
        }
        try connection.execute(
            "SET DateStyle = ISO; SET TimeZone = 'UTC'; SET IntervalStyle = iso_8601; SET client_min_messages = warning"
        )
        return connection
    }

    /// True while libpq considers the connection usable.
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// True when an idle connection has something waiting on its socket, or the server has
    /// closed it: after a server restart or `pg_terminate_backend`, an idle connection holds
    /// the server's farewell (`FATAL 57P01`) and end of file, while libpq still reports it
    /// healthy until the next statement fails. An idle session is sent nothing unasked
    /// (notifications go to listener connections, outside pools), so any input means it is
    /// gone or in a state not worth keeping. One `poll(2)` that does not wait; no libpq call.
    public var hasPendingInput: Bool {
        guard socket >= 0 else { return true }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    /// The server's process id for this session.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Runs one parameterized statement (`$1`, `$2`, …) and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> PostgresResult {
        let texts = parameters.map { $0.postgresText }
        if !pipelined.isEmpty { return try flushPipeline(then: PipelinedStatement(sql: sql, texts: texts)) }
        let result = withCStrings(texts) { pointers in
            PQexecParams(handle, sql, Int32(texts.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs one parameterized statement as a prepared statement: the first call on this session
    /// prepares it (`PQprepare`), later calls only bind and execute it (`PQexecPrepared`), so
    /// the server parses and plans hot SQL once per connection instead of once per call.
    /// Use it for a fixed set of statements; each distinct text stays prepared for the session.
    /// With statements waiting in the pipeline, it goes out with them in the same round trip.
    @discardableResult
    public func query(prepared sql: String, _ parameters: [any PostgresEncodable] = []) throws -> PostgresResult {
        let texts = parameters.map { $0.postgresText }
        if !pipelined.isEmpty {
            return try flushPipeline(then: PipelinedStatement(sql: sql, texts: texts, prepared: true))
        }
        let name = try preparedName(for: sql, parameterCount: parameters.count)
        let result = withCStrings(texts) { pointers in
            PQexecPrepared(handle, name, Int32(texts.count), pointers, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs one prepared statement with variadic parameters.
    @discardableResult
    public func query(prepared sql: String, _ first: any PostgresEncodable, _ rest: any PostgresEncodable...) throws
        -> PostgresResult
    {
        try query(prepared: sql, [first] + rest)
    }

    /// Runs one parameterized statement with variadic parameters.
    @discardableResult
    public func query(_ sql: String, _ first: any PostgresEncodable, _ rest: any PostgresEncodable...) throws
        -> PostgresResult
    {
        try query(sql, [first] + rest)
    }

    /// Runs SQL text without parameters; it may hold several statements (migrations, `LISTEN`).
    public func execute(_ sql: String) throws {
        if !pipelined.isEmpty { _ = try flushPipeline(then: nil) }
        _ = try consume(PQexec(handle, sql))
    }

    private func preparedName(for sql: String, parameterCount: Int) throws -> String {
        if let name = prepared[sql] { return name }
        let name = nextPreparedName()
        _ = try consume(PQprepare(handle, name, sql, Int32(parameterCount), nil))
        prepared[sql] = name
        return name
    }

    func nextPreparedName() -> String {
        preparedNames += 1
        return "fwa_\(preparedNames)"
    }

    var lastErrorMessage: String {
        let text = String(cString: PQerrorMessage(handle))
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func consume(_ result: OpaquePointer?) throws -> PostgresResult {
        guard let result else {
            throw PostgresError(kind: .connection, message: lastErrorMessage)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(rows: [], affectedRows: affectedRows(result))
        case PGRES_TUPLES_OK:
            return PostgresResult(rows: rows(result), affectedRows: affectedRows(result))
        default:
            throw error(from: result)
        }
    }

    private func rows(_ result: OpaquePointer) -> [PostgresRow] {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = PostgresColumns(names: (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) })
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        return rows
    }

    private func affectedRows(_ result: OpaquePointer) -> Int {
        Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let pointer = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: pointer)
        }
        let sqlState = field("C")
        let message = field("M") ?? lastErrorMessage
        let kind: PostgresError.Kind = (sqlState == nil && !isHealthy) ? .connection : .server
        return PostgresError(
            kind: kind, sqlState: sqlState, message: message, detail: field("D"), constraint: field("n"))
    }
}

/// Calls `body` with C strings for `texts` (nil stays a null pointer, SQL NULL) that live for the call.
func withCStrings<R>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let duplicates = texts.map { $0.map { strdup($0) } ?? nil }
    defer { duplicates.forEach { free($0) } }
    return body(duplicates.map { $0.map { UnsafePointer($0) } })
}
