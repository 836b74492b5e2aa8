import Metrics
import Workflow

/// The notifier's counters: `fwa_notifications_sent_total{channel,kind}` and
/// `fwa_notifications_failed_total{channel}` (deliveries that failed for good).
enum NotifierMetrics {
    static func sent(channel: DeliveryChannel, kind: NotificationKind) {
        Counter(
            label: "fwa_notifications_sent_total", dimensions: [("channel", channel.rawValue), ("kind", kind.rawValue)]
        ).increment()
    }

    static func failed(channel: DeliveryChannel) {
        Counter(label: "fwa_notifications_failed_total", dimensions: [("channel", channel.rawValue)]).increment()
    }
}
