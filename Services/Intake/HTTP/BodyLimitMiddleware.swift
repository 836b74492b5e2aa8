import Hummingbird

/// Reads request bodies, after authentication (so only authenticated requests and verified
/// action links are buffered), within three bounds: a size limit (`413 payload-too-large`
/// before anything parses the body; tenant policies, the largest documents, may be four times
/// the limit, action link forms a small fixed size), and a total deadline for the whole body
/// (`FWA_BODY_READ_TIMEOUT_SECONDS`, `408 request-timeout`), so a body that trickles in a byte
/// at a time, never idle long enough for the idle timeout, still cannot hold its buffer and
/// connection for long. A body that cannot be read (broken chunked framing, a client that hangs
/// up mid-body) is the client's fault: `400 malformed-request`. Requests that match no route
/// are answered without reading their body.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int
    let readTimeout: Duration

    /// The most an action link's form (a decision and a reason of at most 4000 characters,
    /// percent-encoded) takes.
    static var actionFormBytes: Int { 64 * 1024 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard [.post, .put, .patch, .delete].contains(request.method), let route = context.endpointPath else {
            return try await next(request, context)
        }
        let limit = limit(for: route)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit)
        }
        let buffer = try await read(request.body, limit: limit)
        // A known length lets the OpenAPI transport tell an absent body from an empty one.
        var head = request.head
        head.headerFields[.contentLength] = String(buffer.readableBytes)
        return try await next(Request(head: head, body: RequestBody(buffer: buffer)), context)
    }

    func limit(for route: String) -> Int {
        switch route {
        case "/v1/tenants/{tenant}": maxBytes * 4
        case AuthMiddleware<Context>.actionRoute: min(maxBytes, Self.actionFormBytes)
        default: maxBytes
        }
    }

    /// The whole body, or the problem: too large, too slow, or unreadable.
    private func read(_ body: RequestBody, limit: Int) async throws -> ByteBuffer {
        let readTimeout = self.readTimeout
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await Self.collect(body, limit: limit) }
            group.addTask {
                try await Task.sleep(for: readTimeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let buffer = try await group.next() ?? nil else {
                throw APIProblem(
                    .requestTimeout,
                    "The body did not arrive within \(readTimeout.components.seconds) seconds; send it at once.")
            }
            return buffer
        }
    }

    // Counted here rather than with `collectBody(upTo:)`, whose error for a chunked body over
    // the limit is NIO's `NIOTooManyBytesError` (it became a 500).
    private static func collect(_ body: RequestBody, limit: Int) async throws -> ByteBuffer {
        var buffer = ByteBuffer()
        do {
            for try await var part in body {
                try Task.checkCancellation()  // the deadline passed: stop, whatever still arrives
                guard buffer.readableBytes + part.readableBytes <= limit else { throw tooLarge(limit) }
                buffer.writeBuffer(&part)
            }
        } catch let problem as APIProblem {
            throw problem
        } catch {
            throw APIProblem(
                .malformedRequest,
                "The body could not be read: its framing (Content-Length or chunked encoding) is broken or the connection ended early."
            )
        }
        return buffer
    }

    private static func tooLarge(_ limit: Int) -> APIProblem {
        APIProblem(.payloadTooLarge, "The body is larger than \(limit) bytes, the most this operation accepts.")
    }
}
