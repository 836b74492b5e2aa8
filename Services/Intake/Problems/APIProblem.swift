import HTTPTypes
import Policy

/// An error the API answers with an RFC 9457 problem document. `kind` is the stable part
/// (it becomes the `type` URI); `detail` says what went wrong this time.
struct APIProblem: Error, Sendable, Equatable {
    /// The stable problem types of the API (`https://flexwork.dev/problems/<rawValue>`).
    enum Kind: String, Sendable, CaseIterable {
        case malformedRequest = "malformed-request"
        case unauthorized
        case forbidden
        case notFound = "not-found"
        case notAcceptable = "not-acceptable"
        case invalidState = "invalid-state"
        case stepClosed = "step-closed"
        case alreadyAcknowledged = "already-acknowledged"
        case duplicateRequest = "duplicate-request"
        case conflict
        case actionLinkUsed = "action-link-used"
        case idempotencyKeyInUse = "idempotency-key-in-use"
        case actionLinkExpired = "action-link-expired"
        case payloadTooLarge = "payload-too-large"
        case unsupportedMediaType = "unsupported-media-type"
        case validation
        case policyViolation = "policy-violation"
        case reasonRequired = "reason-required"
        case noticePeriod = "notice-period"
        case idempotencyKeyReuse = "idempotency-key-reuse"
        case methodNotAllowed = "method-not-allowed"
        case requestTimeout = "request-timeout"
        case rateLimited = "rate-limited"
        case `internal`
        case unavailable
    }

    /// One field at fault: a JSON pointer into the body, or `#name` for a parameter.
    struct FieldError: Sendable, Equatable, Codable {
        var pointer: String
        var message: String
        var ruleId: String?

        enum CodingKeys: String, CodingKey {
            case pointer, message
            case ruleId = "rule_id"
        }
    }

    var kind: Kind
    var detail: String
    var errors: [FieldError] = []
    var violations: [RuleViolation] = []
    /// Seconds the client should wait before retrying (`Retry-After`), for `429 rate-limited`.
    var retryAfter: Int?

    init(
        _ kind: Kind, _ detail: String, errors: [FieldError] = [], violations: [RuleViolation] = [],
        retryAfter: Int? = nil
    ) {
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.violations = violations
        self.retryAfter = retryAfter
    }

    /// The problem's `type` URI.
    var type: String { "https://flexwork.dev/problems/" + kind.rawValue }

    var status: HTTPResponse.Status {
        switch kind {
        case .malformedRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .requestTimeout: .requestTimeout
        case .rateLimited: .tooManyRequests
        case .notAcceptable: .notAcceptable
        case .invalidState, .stepClosed, .alreadyAcknowledged, .duplicateRequest, .conflict, .actionLinkUsed,
            .idempotencyKeyInUse:
            .conflict
        case .actionLinkExpired: .gone
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .validation, .policyViolation, .reasonRequired, .noticePeriod, .idempotencyKeyReuse: .unprocessableContent
        case .internal: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    /// A short summary of the problem type, the same for every occurrence.
    var title: String {
        switch kind {
        case .malformedRequest: "The request is malformed"
        case .unauthorized: "Authentication required"
        case .forbidden: "Not allowed"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .requestTimeout: "The body took too long to arrive"
        case .rateLimited: "Too many requests"
        case .notAcceptable: "No acceptable representation"
        case .invalidState: "The resource's state does not allow this"
        case .stepClosed: "The approval step is not open"
        case .alreadyAcknowledged: "The alert is already acknowledged"
        case .duplicateRequest: "A similar request is already open"
        case .conflict: "Conflict"
        case .actionLinkUsed: "The action link was already used"
        case .idempotencyKeyInUse: "The first attempt with this Idempotency-Key is still running"
        case .actionLinkExpired: "The action link has expired"
        case .payloadTooLarge: "The body is too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .validation: "Invalid fields"
        case .policyViolation: "The request breaks the tenant's policy"
        case .reasonRequired: "A reason is required"
        case .noticePeriod: "The notice period is not met"
        case .idempotencyKeyReuse: "The Idempotency-Key was used with a different request"
        case .internal: "Internal error"
        case .unavailable: "Service unavailable"
        }
    }
}

extension APIProblem {
    /// `404 not-found` for anything the credential may not see (no existence leak).
    static func notFound(_ what: String) -> APIProblem { APIProblem(.notFound, "\(what) was not found.") }

    /// `422 validation` with every field at fault.
    static func validation(_ errors: [FieldError]) -> APIProblem {
        let fields = errors.map(\.pointer).joined(separator: ", ")
        return APIProblem(.validation, "\(errors.count) field(s) are invalid: \(fields).", errors: errors)
    }
}
