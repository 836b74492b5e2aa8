/// Runs work with a time limit; when the limit passes, `onTimeout` runs (it must make the work
/// end, e.g. by closing its connection) and the call throws `SMTPError.timeout`.
enum TimeLimit {
    static func run<T: Sendable>(
        _ limit: Duration, onTimeout: @escaping @Sendable () -> Void, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                onTimeout()
                throw SMTPError.timeout
            }
            return value
        }
    }
}
