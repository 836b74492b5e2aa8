import Hummingbird

/// Refuses bodies over the limit with `413 payload-too-large` before anything parses them, and
/// buffers the rest (every body this API takes is small JSON). Tenant policies, the largest
/// documents, may be four times the limit.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method) else { return try await next(request, context) }
        let limit = context.endpointPath == "/v1/tenants/{tenant}" ? maxBytes * 4 : maxBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit)
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            // A known length lets the OpenAPI transport tell an absent body from an empty one.
            var head = request.head
            head.headerFields[.contentLength] = String(buffer.readableBytes)
            request = Request(head: head, body: RequestBody(buffer: buffer))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(limit)
        }
        return try await next(request, context)
    }

    private static func tooLarge(_ limit: Int) -> APIProblem {
        APIProblem(.payloadTooLarge, "The body is larger than \(limit) bytes, the most this operation accepts.")
    }
}
