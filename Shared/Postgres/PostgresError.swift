/// An error from PostgreSQL or from this library, with the server's SQLSTATE when there is one.
///
/// `description` names the kind, the SQLSTATE and the server's primary message; it never contains
/// parameter values, so it is safe to log.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable {
        /// The connection could not be made or was lost.
        case connection
        /// The server rejected a statement (see `sqlState`).
        case server
        /// A row value could not be decoded to the requested Swift type.
        case decoding
        /// The pool is shut down.
        case poolClosed
    }

    public var kind: Kind
    /// Five-character SQLSTATE code from the server, e.g. `23505`.
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var constraint: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil)
    {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// SQLSTATE 23505.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// SQLSTATE 40001.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    /// SQLSTATE 40P01.
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// SQLSTATE 23503.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// SQLSTATE 23514.
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// True when retrying the whole transaction may succeed.
    public var isTransient: Bool {
        kind == .connection || isSerializationFailure || isDeadlock
            || sqlState?.hasPrefix("08") == true || sqlState == "57P01" || sqlState == "57P03"
    }

    public var description: String {
        var text = "PostgresError(\(kind.rawValue)"
        if let sqlState { text += ", \(sqlState)" }
        text += "): \(message)"
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }
}
