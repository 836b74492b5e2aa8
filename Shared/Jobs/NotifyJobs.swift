import Foundation
import Policy
import Queue
import Workflow

/// `notification.send` on the `notify` queue: one business event to tell some people about. The
/// notifier fans it out into one delivery per recipient and channel (docs/notifications.md).
public struct NotificationJob: JobPayload, Equatable {
    public static let queue = "notify"
    public static let kind = "notification.send"

    public var tenantID: String
    public var requestID: UUID?
    /// Unique per business event (`step_opened:<request>:<idx>`): the same key is never sent twice
    /// to the same recipient on the same channel.
    public var eventKey: String
    public var kind: NotificationKind
    public var recipients: [Recipient]
    /// The template variables.
    public var data: [String: String]
    /// For messages to an approver: the step their approve/deny links act on.
    public var action: StepAction?

    public init(
        tenantID: String, requestID: UUID? = nil, eventKey: String, kind: NotificationKind,
        recipients: [Recipient], data: [String: String] = [:], action: StepAction? = nil
    ) {
        self.tenantID = tenantID
        self.requestID = requestID
        self.eventKey = eventKey
        self.kind = kind
        self.recipients = recipients
        self.data = data
        self.action = action
    }

    /// One job per business event.
    public var uniqueKey: String { "notify:\(eventKey)" }

    enum CodingKeys: String, CodingKey {
        case tenantID = "tenant_id"
        case requestID = "request_id"
        case eventKey = "event_key"
        case kind, recipients, data, action
    }

    /// Recipients and data may be left out (an alert with no recipients goes to the roles its
    /// policy names).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenantID = try container.decode(String.self, forKey: .tenantID)
        requestID = try container.decodeIfPresent(UUID.self, forKey: .requestID)
        eventKey = try container.decode(String.self, forKey: .eventKey)
        kind = try container.decode(NotificationKind.self, forKey: .kind)
        recipients = try container.decodeIfPresent([Recipient].self, forKey: .recipients) ?? []
        data = try container.decodeIfPresent([String: String].self, forKey: .data) ?? [:]
        action = try container.decodeIfPresent(StepAction.self, forKey: .action)
    }
}

/// The payload of both delivery jobs: the row of `deliveries` to send.
public protocol DeliveryJobPayload: JobPayload {
    var deliveryID: UUID { get }
    init(deliveryID: UUID)
}

extension DeliveryJobPayload {
    public static var queue: String { "notify" }
    /// One job per delivery.
    public var uniqueKey: String { "delivery:\(deliveryID.uuidString.lowercased())" }
}

/// `delivery.email` on the `notify` queue: send one email of the delivery log.
public struct EmailDeliveryJob: DeliveryJobPayload, Equatable {
    public static let kind = "delivery.email"
    @LowercaseUUID public var deliveryID: UUID

    public init(deliveryID: UUID) { self.deliveryID = deliveryID }
    enum CodingKeys: String, CodingKey { case deliveryID = "delivery_id" }
}

/// `delivery.webhook` on the `notify` queue: make one webhook call of the delivery log.
public struct WebhookDeliveryJob: DeliveryJobPayload, Equatable {
    public static let kind = "delivery.webhook"
    @LowercaseUUID public var deliveryID: UUID

    public init(deliveryID: UUID) { self.deliveryID = deliveryID }
    enum CodingKeys: String, CodingKey { case deliveryID = "delivery_id" }
}
