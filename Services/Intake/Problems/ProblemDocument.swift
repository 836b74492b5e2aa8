import Foundation
import Hummingbird
import Policy

/// The JSON form of an `APIProblem` (RFC 9457), as the OpenAPI document's `Problem` schema
/// describes it.
struct ProblemDocument: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var errors: [APIProblem.FieldError]
    var violations: [RuleViolation]?

    init(_ problem: APIProblem, instance: String?) {
        type = problem.type
        title = problem.title
        status = Int(problem.status.code)
        detail = problem.detail
        self.instance = instance
        errors = problem.errors
        violations =
            problem.kind == .policyViolation
            ? problem.violations : (problem.violations.isEmpty ? nil : problem.violations)
    }

    static let contentType = "application/problem+json"

    /// The HTTP response carrying `problem`.
    static func response(_ problem: APIProblem, instance: String?) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(ProblemDocument(problem, instance: instance))) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: contentType]
        if problem.kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let seconds = problem.retryAfter { headers[.retryAfter] = String(seconds) }
        return Response(
            status: problem.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
