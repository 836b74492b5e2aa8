/// How a message travels.
enum DeliveryChannel: String, Codable, Sendable {
    case email
    case webhook

    /// The job kind that sends a delivery of this channel.
    var jobKind: String { "delivery.\(rawValue)" }
}
