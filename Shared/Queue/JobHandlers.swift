import Foundation

/// The handlers of one worker, by job kind. A kind is registered once; a job whose kind has no
/// handler goes to the dead letter with a clear error (`QueueWorker`), never to a default branch.
public struct JobHandlers: Sendable {
    private(set) var byKind: [String: any JobHandler] = [:]

    public init() {}

    /// The kinds registered, sorted.
    public var kinds: [String] { byKind.keys.sorted() }

    /// Handles jobs of `kind` with `handler` (for handlers that read the raw payload).
    public mutating func register(kind: String, _ handler: any JobHandler) {
        precondition(byKind[kind] == nil, "a handler for job kind \(kind) is already registered")
        byKind[kind] = handler
    }

    /// Handles jobs of `Payload`'s kind with `handle`, given the decoded payload.
    public mutating func register<Payload: JobPayload>(
        _ type: Payload.Type, _ handle: @escaping @Sendable (Payload, JobContext) async throws -> Void
    ) {
        register(kind: Payload.kind, TypedHandler(handle: handle))
    }

    subscript(kind: String) -> (any JobHandler)? { byKind[kind] }
}

/// Decodes a job's payload as its contract's type, then calls the handler.
private struct TypedHandler<Payload: JobPayload>: JobHandler {
    let handle: @Sendable (Payload, JobContext) async throws -> Void

    func handle(_ context: JobContext) async throws {
        try await handle(try context.job.payload(as: Payload.self), context)
    }
}

extension JobHandlers: ExpressibleByDictionaryLiteral {
    /// Handlers by kind, for handlers that read the raw payload.
    public init(dictionaryLiteral elements: (String, any JobHandler)...) {
        for (kind, handler) in elements { register(kind: kind, handler) }
    }
}
