import Foundation
import Jobs
import Postgres
import Queue
import Testing
import Workflow

@testable import Notifier

/// A delivery is marked delivered right after its receiver accepted it, and audited afterwards,
/// with its job's completion. A worker that dies between the two leaves a delivery delivered but
/// not audited; its retry must append the audit event exactly once and send nothing.
@Suite("Delivery retries after the mark")
struct DeliveryRetryTests {
    @Test("sent normally: marked, then audited once (email and webhook)")
    func markedThenAudited() async throws {
        let sink = try await SMTPSink.start()
        let receiver = WebhookReceiver()
        try await receiver.start()
        let fixture = try await NotifierFixture.make(smtpPort: sink.port)
        let key = fixture.eventKey("decision")
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: UUID(), eventKey: key, kind: .decision,
                    recipients: [.init(email: testAddress("employee")), .init(webhookURL: receiver.baseURL + "/ok")],
                    data: ["decision": "approved", "employee_name": "Ada"]))
            let rows = try await fixture.waitForDeliveries(key) {
                $0.count == 2 && $0.allSatisfy { $0.status == "delivered" }
            }
            try await waitForJobsCompleted(fixture, count: 3)
            for row in rows {
                let audit = try await auditState(row.id, fixture)
                #expect(audit.events == 1 && audit.auditedAfterDelivered, "\(row.channel)")
            }
        }
        #expect(try sink.messages().count == 1 && receiver.requests.count == 1)
        await receiver.stop()
        await sink.stop()
    }

    @Test("delivered but not audited (worker killed between mark and completion): one audit event, nothing sent again")
    func deliveredNotAudited() async throws {
        let sink = try await SMTPSink.start()
        let receiver = WebhookReceiver()
        try await receiver.start()
        let fixture = try await NotifierFixture.make(smtpPort: sink.port)
        let request = NotificationJob(
            tenantID: fixture.tenantID, requestID: UUID(), eventKey: fixture.eventKey("decision"), kind: .decision,
            recipients: [], data: ["decision": "approved", "employee_name": "Ada"])
        let email = DeliveryTarget(channel: .email, recipient: testAddress("employee"))
        let webhook = DeliveryTarget(channel: .webhook, recipient: receiver.baseURL + "/ok")
        // What a worker leaves when SIGKILLed right after the mark: delivered, no audit event, job running.
        let ids = try await fixture.pool.transaction { connection in
            _ = try DeliveryStore.recordEvent(request, on: connection)
            return try [email, webhook].map {
                try #require(try DeliveryStore.insertPending($0, request: request, on: connection))
            }
        }
        for id in ids {
            try await fixture.pool.withConnection {
                try DeliveryStore.markDelivered(id, messageID: "<sent-before-the-crash@flexwork>", on: $0)
            }
        }
        // Two jobs per delivery (the rescued one and a concurrent retry): still one audit event each.
        var jobs: [Int64] = []
        for (id, channel) in zip(ids, [DeliveryChannel.email, .webhook]) {
            for _ in 0..<2 {
                var unique = try channel.job(
                    delivery: id, queue: fixture.configuration.queue, tenantID: fixture.tenantID, priority: 100,
                    maxAttempts: 20)
                unique.uniqueKey = nil
                let job = unique
                jobs.append(try await fixture.pool.transaction { try JobQueue.enqueue(job, on: $0) }.id)
            }
        }
        try await fixture.withWorker {
            for job in jobs { try await waitForJob(job, "completed", fixture) }
        }
        for id in ids {
            let audit = try await auditState(id, fixture)
            #expect(audit.events == 1 && audit.auditedAfterDelivered)
            let row = try #require(try await fixture.pool.withConnection { try DeliveryStore.load(id, on: $0) })
            #expect(row.status == .delivered && row.attempts == 1 && row.isAudited)
        }
        #expect(try sink.messages().isEmpty, "the email must not be sent again")
        #expect(receiver.requests.isEmpty, "the webhook must not be posted again")
        await receiver.stop()
        await sink.stop()
    }

    /// The `notified` audit events of a delivery, and whether `audited_at` is set, not before `delivered_at`.
    private func auditState(_ id: UUID, _ fixture: NotifierFixture) async throws -> (
        events: Int, auditedAfterDelivered: Bool
    ) {
        try await fixture.pool.withConnection { connection in
            let row = try connection.query(
                """
                SELECT (SELECT count(*) FROM events WHERE action = 'notified' AND after->>'delivery_id' = $1::uuid::text) AS events,
                       coalesce(audited_at >= delivered_at, false) AS ordered
                  FROM deliveries WHERE id = $1::uuid
                """, id
            ).first!
            return (try row.decode("events", as: Int.self), try row.decode("ordered", as: Bool.self))
        }
    }

    private func waitForJobsCompleted(_ fixture: NotifierFixture, count: Int) async throws {
        let queue = fixture.configuration.queue
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let done: Int = try await fixture.pool.withConnection {
                try $0.query("SELECT count(*) AS n FROM fwa_jobs WHERE queue = $1 AND state = 'completed'", queue)
                    .first!.decode("n")
            }
            if done >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("fewer than \(count) jobs completed")
    }
}
