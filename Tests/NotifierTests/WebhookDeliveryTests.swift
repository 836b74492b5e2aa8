import Foundation
import Jobs
import Policy
import Postgres
import Testing
import Workflow

@testable import Notifier

@Suite("Webhook delivery to a receiver in the test process")
struct WebhookDeliveryTests {
    @Test("the POST is signed with the tenant's secret, carries the event as JSON, and verifies")
    func signed() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let fixture = try await NotifierFixture.make()
        let key = fixture.eventKey("alert")
        let requestID = UUID()
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: requestID, eventKey: key, kind: .alert,
                    recipients: [.init(webhookURL: receiver.baseURL + "/ok")],
                    data: ["alert_kind": "international", "jurisdiction": "FR"]))
            _ = try await fixture.waitForDeliveries(key) { $0.first?.status == "delivered" }
        }
        let row = try #require(try await fixture.deliveries(key).first)
        #expect(row.status == "delivered" && row.attempts == 1 && row.channel == "webhook")
        let received = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        #expect(received.headers["content-type"] == "application/json")
        #expect(received.headers["x-flexwork-delivery"] == row.id.uuidString.lowercased())
        let secret = try await fixture.pool.withConnection {
            try WebhookSecretStore.secret(tenantID: fixture.tenantID, on: $0)
        }
        let timestamp = try #require(received.headers["x-flexwork-timestamp"])
        let signature = try #require(received.headers["x-flexwork-signature"])
        try WebhookSignature.verify(secret: secret, timestamp: timestamp, body: received.body, signature: signature)
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try WebhookSignature.verify(
                secret: String(secret.reversed()), timestamp: timestamp, body: received.body, signature: signature)
        }
        let json = try #require(try JSONSerialization.jsonObject(with: received.body) as? [String: Any])
        #expect(json["event_key"] as? String == key && json["kind"] as? String == "alert")
        #expect(
            json["tenant_id"] as? String == fixture.tenantID
                && json["request_id"] as? String == requestID.uuidString.lowercased())
        #expect(json["delivery_id"] as? String == row.id.uuidString.lowercased())
        #expect((json["data"] as? [String: String])?["jurisdiction"] == "FR")
        await receiver.stop()
    }

    @Test("500 then 200: retried, delivered once; 400: failed and dead-lettered without retry")
    func retriesAndFailures() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let fixture = try await NotifierFixture.make()
        let key = fixture.eventKey("decision")
        let flaky = receiver.baseURL + "/flaky"
        let bad = receiver.baseURL + "/bad"
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, eventKey: key, kind: .decision,
                    recipients: [.init(webhookURL: flaky), .init(webhookURL: bad)], data: ["decision": "denied"]))
            _ = try await fixture.waitForDeliveries(key) { rows in
                rows.contains { $0.recipient == flaky && $0.status == "delivered" }
                    && rows.contains { $0.recipient == bad && $0.status == "failed" }
            }
            let jobs = try await fixture.jobs(kind: WebhookDeliveryJob.kind)
            #expect(
                jobs.contains { $0.state == "failed" && $0.attempt == 1 && $0.lastError?.contains("HTTP 400") == true })
        }
        let rows = try await fixture.deliveries(key)
        let delivered = try #require(rows.first { $0.recipient == flaky })
        #expect(
            delivered.status == "delivered" && delivered.attempts == 2
                && delivered.lastError == "webhook answered HTTP 500")
        let failed = try #require(rows.first { $0.recipient == bad })
        #expect(failed.status == "failed" && failed.attempts == 1 && failed.lastError == "webhook answered HTTP 400")
        #expect(receiver.requests.filter { $0.path == "/flaky" }.map(\.status) == [500, 200])
        #expect(receiver.requests.filter { $0.path == "/bad" }.map(\.status) == [400])
        // The retry carried the same delivery id, for receivers to dedupe on.
        #expect(
            Set(receiver.requests.filter { $0.path == "/flaky" }.compactMap { $0.headers["x-flexwork-delivery"] }).count
                == 1)
        await receiver.stop()
    }

    @Test("roles resolve through the tenant's policy and alert routes; an unknown role is a failed delivery")
    func roles() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let fixture = try await NotifierFixture.make(
            roles: [RoleDefinition(key: "payroll", webhookUrl: receiver.baseURL + "/ok")],
            alertRoutes: [AlertRoute(kind: "out_of_home_region", recipients: ["payroll", "ghost"])])
        let key = fixture.eventKey("alert")
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, eventKey: key, kind: .alert, recipients: [],
                    data: ["alert_kind": "out_of_home_region"]))
            _ = try await fixture.waitForDeliveries(key) { $0.contains { $0.status == "delivered" } }
        }
        let rows = try await fixture.deliveries(key)
        #expect(rows.count == 2)
        #expect(
            rows.contains {
                $0.channel == "webhook" && $0.recipient == receiver.baseURL + "/ok" && $0.status == "delivered"
            })
        let ghost = try #require(rows.first { $0.recipient == "role:ghost" })
        #expect(ghost.status == "failed" && ghost.lastError?.contains("not in the tenant's role directory") == true)
        await receiver.stop()
    }
}
