/// One problem found while loading a tenant file: where it is and what was expected.
public struct PolicyProblem: Sendable, Equatable, CustomStringConvertible {
    /// File name as given to the loader (`mit.yaml`).
    public let file: String
    /// Line, from 1 (absent for JSON).
    public let line: Int?
    /// Column, from 1 (absent for JSON).
    public let column: Int?
    /// Path in the document: `chain[2].role` for YAML, a JSON pointer `/chain/2/role` for JSON.
    public let path: String
    /// What is wrong and what was expected.
    public let message: String

    /// A problem.
    public init(file: String, line: Int?, column: Int?, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `mit.yaml:12:5: chain[2].role: unknown role "provst"; expected one of …`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return location + ": " + (path.isEmpty ? "" : path + ": ") + message
    }
}
