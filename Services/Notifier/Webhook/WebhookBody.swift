import Foundation

/// The JSON a webhook receives: `{"data", "delivery_id", "event_key", "kind", "request_id",
/// "tenant_id"}` (keys sorted; `request_id` is null when the event has no request).
struct WebhookBody: Encodable, Sendable {
    var delivery: DeliveryRecord

    enum CodingKeys: String, CodingKey {
        case data
        case deliveryID = "delivery_id"
        case eventKey = "event_key"
        case kind
        case requestID = "request_id"
        case tenantID = "tenant_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delivery.data, forKey: .data)
        try container.encode(delivery.id.uuidString.lowercased(), forKey: .deliveryID)
        try container.encode(delivery.eventKey, forKey: .eventKey)
        try container.encode(delivery.kind.rawValue, forKey: .kind)
        if let requestID = delivery.requestID {
            try container.encode(requestID.uuidString.lowercased(), forKey: .requestID)
        } else {
            try container.encodeNil(forKey: .requestID)
        }
        try container.encode(delivery.tenantID, forKey: .tenantID)
    }

    /// The body's bytes.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
