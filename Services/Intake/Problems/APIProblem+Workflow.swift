import Workflow

extension APIProblem {
    /// The problem answering a refused command: the one place domain errors become HTTP.
    init(_ error: WorkflowError) {
        switch error {
        case .notFound(let what): self = .notFound(what)
        case .forbidden(let message): self.init(.forbidden, message)
        case .invalidState(let message): self.init(.invalidState, message)
        case .stepClosed(let message): self.init(.stepClosed, message)
        case .alreadyAcknowledged(let message): self.init(.alreadyAcknowledged, message)
        case .actionLinkUsed(let message): self.init(.actionLinkUsed, message)
        case .actionLinkExpired(let message): self.init(.actionLinkExpired, message)
        case .invalidField(let pointer, let message): self = .validation([.init(pointer: pointer, message: message)])
        case .noticePeriod(let message, let violations):
            self.init(
                .noticePeriod, message,
                errors: violations.map { .init(pointer: "/effective_date", message: $0.message, ruleId: $0.ruleId) },
                violations: violations)
        }
    }
}
