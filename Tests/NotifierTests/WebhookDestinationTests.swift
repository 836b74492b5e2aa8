import Egress
import Foundation
import Jobs
import Policy
import Testing
import Workflow

@testable import Notifier

/// Issue 14, item 10, at send time: the notifier resolves a webhook's host and refuses loopback,
/// private, link-local and metadata addresses before anything is sent, and plain http unless the
/// operator allows it; the refusal is a failed delivery with the reason, and nothing reaches the
/// receiver.
@Suite("Webhook destinations checked at send time")
struct WebhookDestinationTests {
    @Test("a name resolving to loopback, and internal addresses, are failed deliveries; the receiver gets nothing")
    func internalAddressesRefused() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        var fixture = try await NotifierFixture.make()
        // Plain http allowed (the receiver speaks http), private addresses not: production's rule.
        fixture.configuration.webhookRules = WebhookRules(allowsHTTP: true, allowsPrivateAddresses: false)
        let port = receiver.baseURL.split(separator: ":").last.map(String.init) ?? "0"
        let refused: [(url: String, reason: String)] = [
            ("http://localhost:\(port)/ok", "localhost resolves to"),
            ("http://127.0.0.1:\(port)/ok", "loopback"),
            ("https://169.254.169.254/latest/meta-data/", "cloud metadata"),
            ("https://10.0.0.1/hook", "private (RFC 1918"),
            ("https://[::1]:\(port)/ok", "loopback (::1)"),
            ("https://[::ffff:127.0.0.1]:\(port)/ok", "IPv4-mapped"),
        ]
        let key = fixture.eventKey("alert")
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, eventKey: key, kind: .alert,
                    recipients: refused.map { .init(webhookURL: $0.url) }, data: ["alert_kind": "international"]))
            _ = try await fixture.waitForDeliveries(key) { rows in
                rows.count == refused.count && rows.allSatisfy { $0.status == "failed" }
            }
            // The job is dead-lettered just after its delivery is marked failed.
            for _ in 0..<200
            where try await fixture.jobs(kind: WebhookDeliveryJob.kind).contains(where: { $0.state != "failed" }) {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let rows = try await fixture.deliveries(key)
        for (url, reason) in refused {
            let row = try #require(rows.first { $0.recipient == url }, "\(url)")
            #expect(row.status == "failed" && row.attempts == 1, "\(url): \(row.status), \(row.attempts)")
            #expect(
                row.lastError?.hasPrefix("webhook not sent: ") == true && row.lastError?.contains(reason) == true,
                "\(url): \(row.lastError ?? "")")
        }
        #expect(receiver.requests.isEmpty, "nothing may reach the receiver: \(receiver.requests.map(\.path))")
        let jobs = try await fixture.jobs(kind: WebhookDeliveryJob.kind)
        #expect(
            jobs.count == refused.count && jobs.allSatisfy { $0.state == "failed" && $0.attempt == 1 },
            "dead letters at once: \(jobs)")
        await receiver.stop()
    }

    @Test(
        "https only by default: an http URL is refused; with both development settings a name on loopback is delivered")
    func schemeAndDevelopmentSetting() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let port = receiver.baseURL.split(separator: ":").last.map(String.init) ?? "0"
        var strict = try await NotifierFixture.make()
        strict.configuration.webhookRules = WebhookRules()
        let plain = strict.eventKey("alert")
        try await strict.withWorker {
            try await strict.send(
                NotificationJob(
                    tenantID: strict.tenantID, eventKey: plain, kind: .alert,
                    recipients: [.init(webhookURL: receiver.baseURL + "/ok")]))
            _ = try await strict.waitForDeliveries(plain) { $0.first?.status == "failed" }
        }
        let refused = try #require(try await strict.deliveries(plain).first)
        #expect(
            refused.status == "failed" && refused.lastError?.contains("plain http is refused") == true,
            "\(refused.lastError ?? "")")
        #expect(receiver.requests.isEmpty)

        // The fixture's own rules: FWA_WEBHOOK_ALLOW_HTTP=1 and FWA_WEBHOOK_ALLOW_PRIVATE=1. The name
        // is resolved once, and the POST goes to the address checked (127.0.0.1).
        let development = try await NotifierFixture.make()
        let named = development.eventKey("alert")
        try await development.withWorker {
            try await development.send(
                NotificationJob(
                    tenantID: development.tenantID, eventKey: named, kind: .alert,
                    recipients: [.init(webhookURL: "http://localhost:\(port)/ok")]))
            _ = try await development.waitForDeliveries(named) { $0.first?.status == "delivered" }
        }
        #expect(try await development.deliveries(named).first?.status == "delivered")
        #expect(receiver.requests.count == 1 && receiver.requests.first?.path == "/ok")
        await receiver.stop()
    }
}
