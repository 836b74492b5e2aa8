/// One condition for `/readyz`: nil when satisfied, otherwise why not.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let check: @Sendable () async -> String?

    public init(name: String, check: @escaping @Sendable () async -> String?) {
        self.name = name
        self.check = check
    }
}
