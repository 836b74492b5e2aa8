/// One destination of a message: an address or a webhook URL. With the event key it names one
/// delivery (`UNIQUE (event_key, channel, recipient)`).
struct DeliveryTarget: Hashable, Sendable {
    var channel: DeliveryChannel
    /// A normalized email address, or a webhook URL.
    var recipient: String
}

/// A recipient the notifier could not turn into a destination, and why. It is recorded as a
/// failed delivery so that the delivery log shows it.
struct UnresolvedRecipient: Hashable, Sendable {
    /// What the delivery log shows as the recipient (`role:payroll`).
    var label: String
    var reason: String
}
