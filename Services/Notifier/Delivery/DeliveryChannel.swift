import Foundation
import Jobs
import Queue

/// How a message travels.
enum DeliveryChannel: String, Codable, Sendable {
    case email
    case webhook

    /// The job that sends delivery `id` of this channel, once per delivery.
    func job(delivery id: UUID, queue: String, tenantID: String, priority: Int, maxAttempts: Int) throws -> NewJob {
        switch self {
        case .email:
            let job = EmailDeliveryJob(deliveryID: id)
            return try NewJob(
                job, queue: queue, tenantID: tenantID, priority: priority, maxAttempts: maxAttempts,
                uniqueKey: job.uniqueKey)
        case .webhook:
            let job = WebhookDeliveryJob(deliveryID: id)
            return try NewJob(
                job, queue: queue, tenantID: tenantID, priority: priority, maxAttempts: maxAttempts,
                uniqueKey: job.uniqueKey)
        }
    }
}
