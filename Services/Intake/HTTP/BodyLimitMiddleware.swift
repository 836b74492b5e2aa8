import Hummingbird

/// Refuses bodies over the limit with `413 payload-too-large` before anything parses them, and
/// buffers the rest (every body this API takes is small JSON). Tenant policies, the largest
/// documents, may be four times the limit. A body that cannot be read (broken chunked framing,
/// a client that hangs up mid-body) is the client's fault: `400 malformed-request`.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method) else { return try await next(request, context) }
        let limit = context.endpointPath == "/v1/tenants/{tenant}" ? maxBytes * 4 : maxBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit)
        }
        // Counted here rather than with `collectBody(upTo:)`, whose error for a chunked body over
        // the limit is NIO's `NIOTooManyBytesError` (it became a 500).
        var buffer = ByteBuffer()
        do {
            for try await var part in request.body {
                guard buffer.readableBytes + part.readableBytes <= limit else { throw Self.tooLarge(limit) }
                buffer.writeBuffer(&part)
            }
        } catch let problem as APIProblem {
            throw problem
        } catch {
            throw APIProblem(.malformedRequest, "The body could not be read: its framing (Content-Length or chunked encoding) is broken or the connection ended early.")
        }
        // A known length lets the OpenAPI transport tell an absent body from an empty one.
        var head = request.head
        head.headerFields[.contentLength] = String(buffer.readableBytes)
        return try await next(Request(head: head, body: RequestBody(buffer: buffer)), context)
    }

    private static func tooLarge(_ limit: Int) -> APIProblem {
        APIProblem(.payloadTooLarge, "The body is larger than \(limit) bytes, the most this operation accepts.")
    }
}
