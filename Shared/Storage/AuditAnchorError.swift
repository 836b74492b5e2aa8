/// Why an audit anchor could not be made, read or checked.
public enum AuditAnchorError: Error, CustomStringConvertible, Equatable {
    case badKey(String)
    case badAnchor(file: String, problem: String)

    public var description: String {
        switch self {
        case .badKey(let problem): "audit anchor key: \(problem)"
        case .badAnchor(let file, let problem): "audit anchor \(file): \(problem)"
        }
    }
}
