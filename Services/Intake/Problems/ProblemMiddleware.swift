import Hummingbird
import Logging
import OpenAPIRuntime
import Postgres
import Workflow

/// Turns every error into an `application/problem+json` answer: the API's own problems, the
/// OpenAPI runtime's decoding and content-type errors (400, 406, 415), Hummingbird's routing
/// errors, and anything unexpected (500, logged without personal data).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.status.code >= 500 {
                RequestScope.current?.logger.error("request failed", metadata: ["error": "\(Self.loggable(error))"])
            }
            return ProblemDocument.response(problem, instance: request.uri.path)
        }
    }

    static func problem(for error: any Error) -> APIProblem {
        switch error {
        case let problem as APIProblem: return problem
        case let refused as WorkflowError: return APIProblem(refused)
        case let server as ServerError: return problem(for: server)
        case let decoding as DecodingError: return DecodingProblem.problem(for: decoding)
        case let http as HTTPError: return problem(for: http)
        case let database as PostgresError where ["22P05", "22021"].contains(database.sqlState):
            // Text the database cannot store (U+0000 in text or jsonb) is the client's data, not our fault.
            return APIProblem(
                .validation, "A text value contains the NUL character (U+0000), which cannot be stored; remove it.")
        case let database as PostgresError where database.isTransient:
            return APIProblem(
                .unavailable, "The database is unavailable; retry in a moment with the same Idempotency-Key.")
        default:
            return APIProblem(.internal, "An internal error occurred; retry with the same Idempotency-Key.")
        }
    }

    private static func problem(for error: ServerError) -> APIProblem {
        if let problem = error.underlyingError as? APIProblem { return problem }
        if let refused = error.underlyingError as? WorkflowError { return APIProblem(refused) }
        if let decoding = error.underlyingError as? DecodingError { return DecodingProblem.problem(for: decoding) }
        if let database = error.underlyingError as? PostgresError { return problem(for: database as any Error) }
        switch error.httpStatus {
        case .unsupportedMediaType:
            return APIProblem(.unsupportedMediaType, "\(error.causeDescription). Send Content-Type: application/json.")
        case .notAcceptable:
            return APIProblem(.notAcceptable, "\(error.causeDescription).")
        case .badRequest:
            return APIProblem(.malformedRequest, error.causeDescription)
        default:
            return problem(for: error.underlyingError)
        }
    }

    private static func problem(for error: HTTPError) -> APIProblem {
        switch error.status {
        case .notFound: return APIProblem(.notFound, "No such resource; see the API document for the paths under /v1.")
        case .methodNotAllowed: return APIProblem(.methodNotAllowed, "This path does not accept that method.")
        case .contentTooLarge: return APIProblem(.payloadTooLarge, "The body is too large.")
        case .unsupportedMediaType: return APIProblem(.unsupportedMediaType, "Send Content-Type: application/json.")
        default:
            let kind: APIProblem.Kind = error.status.code >= 500 ? .internal : .malformedRequest
            return APIProblem(kind, error.body ?? error.status.reasonPhrase)
        }
    }

    /// What to log about an unexpected error: its type and, for database errors, the SQLSTATE.
    private static func loggable(_ error: any Error) -> String {
        if let server = error as? ServerError { return "\(server.operationID): \(loggable(server.underlyingError))" }
        if let database = error as? PostgresError { return database.description }
        return String(describing: type(of: error))
    }
}
