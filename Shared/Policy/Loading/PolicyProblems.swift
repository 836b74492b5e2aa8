/// Every problem found in a tenant file. Loading reports all of them, not the first.
public struct PolicyProblems: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in file order.
    public let problems: [PolicyProblem]

    /// Problems.
    public init(problems: [PolicyProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
