/// Why a webhook URL may not be posted to.
public struct WebhookRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// A refusal that stands until the URL or the rules change (a scheme, a private address);
    /// false when the host did not resolve now and might later (the notifier retries those).
    public var isPermanent: Bool
    /// For people: what is wrong and what is accepted.
    public var reason: String

    public var description: String { reason }
}
