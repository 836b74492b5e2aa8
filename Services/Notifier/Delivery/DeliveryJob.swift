import Foundation
import Jobs
import Logging
import Queue

/// What both delivery handlers do first: read the delivery their job names, and a logger that
/// carries its tenant, request and delivery ids.
enum DeliveryJob {
    static func load(_ payload: some DeliveryJobPayload, context: JobContext, channel: DeliveryChannel) async throws
        -> (DeliveryRecord, Logger)
    {
        let id = payload.deliveryID
        guard let delivery = try await context.pool.withConnection({ try DeliveryStore.load(id, on: $0) }) else {
            throw JobError.discard("delivery \(id.uuidString.lowercased()) does not exist")
        }
        guard delivery.channel == channel else {
            throw JobError.discard(
                "delivery \(delivery.id.uuidString.lowercased()) is a \(delivery.channel.rawValue) delivery")
        }
        var logger = context.logger
        logger[metadataKey: "tenant_id"] = "\(delivery.tenantID)"
        logger[metadataKey: "delivery_id"] = "\(delivery.id.uuidString.lowercased())"
        if let requestID = delivery.requestID {
            logger[metadataKey: "request_id"] = "\(requestID.uuidString.lowercased())"
        }
        logger[metadataKey: "notification_kind"] = "\(delivery.kind.rawValue)"
        return (delivery, logger)
    }

    /// Appends the `notified` audit event of a delivered delivery (once) and completes the job,
    /// in one transaction.
    static func complete(_ delivery: DeliveryRecord, context: JobContext) async throws {
        let id = delivery.id
        _ = try await context.completing { try DeliveryStore.recordNotified(id, on: $0) }
    }

    /// The job of a delivery already delivered: nothing is sent again. A delivery marked but not
    /// yet audited (its worker died between the two) gets its audit event now.
    static func finishDelivered(_ delivery: DeliveryRecord, context: JobContext, logger: Logger) async throws {
        if delivery.isAudited {
            logger.info("already delivered; not sending again")
            return
        }
        try await complete(delivery, context: context)
        logger.info("already delivered; audit event recorded, not sending again")
    }
}
