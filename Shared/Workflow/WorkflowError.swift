import Policy

/// Why a command on a request, a step, an alert or a delegation was refused. Every service's
/// commands throw these; the intake maps them to RFC 9457 problems in one place.
public enum WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The thing does not exist, or the caller may not see it ("The request").
    case notFound(String)
    /// The person may not do this; the message says who may.
    case forbidden(String)
    /// The request's status does not allow this.
    case invalidState(String)
    /// The step is not open.
    case stepClosed(String)
    /// The alert was acknowledged already.
    case alreadyAcknowledged(String)
    /// A field of the command breaks a rule: its JSON pointer and the rule.
    case invalidField(pointer: String, message: String)
    /// The action link was used already.
    case actionLinkUsed(String)
    /// The action link has expired.
    case actionLinkExpired(String)
    /// The tenant's notice period is not met.
    case noticePeriod(String, violations: [RuleViolation])

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) was not found."
        case .forbidden(let message), .invalidState(let message), .stepClosed(let message),
            .alreadyAcknowledged(let message), .actionLinkUsed(let message), .actionLinkExpired(let message),
            .noticePeriod(let message, _):
            message
        case .invalidField(let pointer, let message): "\(pointer) \(message)"
        }
    }
}
