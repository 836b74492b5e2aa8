import HTTPTypes
import Hummingbird

/// Adds the headers of the action link pages to every answer under `/v1/actions/` (the page,
/// its errors, the decision's answer): the page shows a request and its link is a credential, so
/// nothing keeps it (`no-store`), no site frames it (`X-Frame-Options` and CSP `frame-ancestors`),
/// it loads nothing and posts only to itself, and its URL is never sent on as a referrer.
/// A middleware rather than OpenAPI response headers: the runtime percent-encodes header values,
/// and a policy needs spaces, quotes and semicolons.
struct ActionPageHeaders<Context: RequestContext>: RouterMiddleware {
    static var fields: [(HTTPField.Name, String)] {
        [
            (.cacheControl, "no-store"),
            (HTTPField.Name("X-Frame-Options")!, "DENY"),
            (
                HTTPField.Name("Content-Security-Policy")!,
                "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            ),
            (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix("/v1/actions/") else { return try await next(request, context) }
        var response = try await next(request, context)
        for (name, value) in Self.fields { response.headers[name] = value }
        return response
    }
}
