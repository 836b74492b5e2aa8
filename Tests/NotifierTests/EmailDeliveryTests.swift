import Foundation
import Jobs
import Postgres
import Queue
import Storage
import Testing
import Workflow

@testable import Notifier

@Suite("Email delivery through a real SMTP server (scripts/smtp-sink)")
struct EmailDeliveryTests {
    @Test(
        "an approver's email arrives once: text and HTML, request id, derived Message-ID, action links, no injected header"
    )
    func approverEmail() async throws {
        let sink = try await SMTPSink.start()
        let fixture = try await NotifierFixture.make(smtpPort: sink.port)
        let requestID = try await fixture.makeRequest()
        let approver = testAddress("approver")
        let key = fixture.eventKey("step_opened")
        let request = NotificationJob(
            tenantID: fixture.tenantID, requestID: requestID, eventKey: key, kind: .stepOpened,
            recipients: [.init(email: approver.uppercased())],
            data: [
                "employee_name": "Eve <script>x</script>\r\nBcc: evil@attacker.example", "arrangement_type": "hybrid",
                "start_date": "2026-01-05", "step_role": "supervisor", "reason": "{{tenant_id}}",
            ],
            action: .init(stepIndex: 0, approverEmail: approver))
        try await fixture.withWorker {
            try await fixture.send(request)
            let rows = try await fixture.waitForDeliveries(key) { $0.first?.status == "delivered" }
            let row = try #require(rows.first)
            #expect(rows.count == 1 && row.recipient == approver && row.attempts == 1 && row.deliveredAt != nil)
            let messages = try await sink.waitForMessages(1)
            let mail = try #require(messages.first)
            let expectedID = "<" + MessageID.derive(eventKey: key, channel: .email, recipient: approver) + ">"
            #expect(mail.header("Message-ID") == expectedID && row.messageID == expectedID)
            #expect(mail.header("X-Flexwork-Request-Id") == requestID.uuidString.lowercased())
            #expect(mail.header("To") == approver && mail.header("From") == "flexwork@notifier.test")
            // Header injection: the CR/LF in the name cannot start a header.
            #expect(mail.header("Bcc") == nil)
            #expect(!mail.raw.contains("\nBcc:"))
            #expect(mail.header("Subject")?.contains("Eve <script>x</script> Bcc: evil@attacker.example") == true)
            let text = try #require(mail.text)
            let html = try #require(mail.html)
            #expect(
                text.contains(requestID.uuidString.lowercased()) && html.contains(requestID.uuidString.lowercased()))
            #expect(html.contains("Eve &lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"))
            #expect(!text.contains("<p>") && !text.contains("&lt;"))
            try await expectActionLinks(row: row, text: text, html: html, approver: approver, pool: fixture.pool)

            // Run it twice: the same event again, and the delivery job again.
            let again = try await fixture.send(request)
            let direct = try await fixture.pool.transaction { connection in
                try JobQueue.enqueue(
                    try NewJob(
                        queue: fixture.configuration.queue, kind: EmailDeliveryJob.kind,
                        payload: EmailDeliveryJob(deliveryID: row.id), tenantID: fixture.tenantID), on: connection)
            }
            try await waitForJob(again.id, "completed", fixture)
            try await waitForJob(direct.id, "completed", fixture)
            #expect(try await fixture.deliveries(key).count == 1)
            #expect(try sink.messages().count == 1)
        }
        await sink.stop()
    }

    @Test("SMTP server down: attempts and last_error recorded, then the message arrives once when it comes back")
    func serverDown() async throws {
        let port = try unusedPort()
        let fixture = try await NotifierFixture.make(smtpPort: port)
        let key = fixture.eventKey("decision")
        let address = testAddress("employee")
        let sink: SMTPSink = try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: UUID(), eventKey: key, kind: .decision,
                    recipients: [.init(email: address)], data: ["decision": "approved", "employee_name": "Ada"]))
            let failing = try await fixture.waitForDeliveries(key) { ($0.first?.attempts ?? 0) >= 2 }
            #expect(failing.first?.status == "pending")
            #expect(failing.first?.lastError?.contains("connection") == true)
            let sink = try await SMTPSink.start(port: port)
            let rows = try await fixture.waitForDeliveries(key, timeout: .seconds(60)) {
                $0.first?.status == "delivered"
            }
            #expect(rows.first?.status == "delivered")
            #expect((rows.first?.attempts ?? 0) >= 3)
            return sink
        }
        let messages = try sink.messages()
        #expect(messages.count == 1)
        #expect(messages.first?.header("To") == address)
        await sink.stop()
    }

    @Test("SMTP 5xx fails the delivery and dead-letters its job; 4xx is retried")
    func permanentAndTransientReplies() async throws {
        let sink = try await SMTPSink.start()
        let fixture = try await NotifierFixture.make(smtpPort: sink.port)
        let key = fixture.eventKey("alert")
        let rejected = testAddress("reject")
        let deferred = testAddress("tempfail")
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, eventKey: key, kind: .alert,
                    recipients: [.init(email: rejected), .init(email: deferred)], data: ["alert_kind": "international"])
            )
            let rows = try await fixture.waitForDeliveries(key) { rows in
                rows.contains { $0.recipient == rejected && $0.status == "failed" }
                    && rows.contains { $0.recipient == deferred && $0.attempts >= 2 }
            }
            let failed = try #require(rows.first { $0.recipient == rejected })
            #expect(failed.status == "failed" && failed.attempts == 1)
            #expect(failed.lastError?.contains("SMTP 550 after RCPT TO") == true)
            let retried = try #require(rows.first { $0.recipient == deferred })
            #expect(retried.status == "pending" && retried.lastError?.contains("SMTP 451") == true)
            let jobs = try await fixture.jobs(kind: EmailDeliveryJob.kind)
            #expect(jobs.contains { $0.state == "failed" && $0.attempt == 1 && $0.lastError?.contains("550") == true })
        }
        #expect(try sink.messages().isEmpty)
        await sink.stop()
    }

    @Test("AUTH PLAIN with the configured credentials")
    func authenticated() async throws {
        let sink = try await SMTPSink.start(auth: "relay-user:relay pass")
        var fixture = try await NotifierFixture.make(smtpPort: sink.port)
        fixture.configuration.smtp = try SMTPConfiguration.parse(
            "smtp://relay-user:relay%20pass@127.0.0.1:\(sink.port)")
        let key = fixture.eventKey("activated")
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: UUID(), eventKey: key, kind: .activated,
                    recipients: [.init(email: testAddress("employee"))], data: ["employee_name": "Ada"]))
            _ = try await fixture.waitForDeliveries(key) { $0.first?.status == "delivered" }
        }
        let messages = try await sink.waitForMessages(1)
        #expect(messages.first?.header("X-Sink-Auth") == "relay-user")
        await sink.stop()
    }

    @Test("a tenant's template override is used for its kind")
    func templateOverride() async throws {
        let sink = try await SMTPSink.start()
        let fixture = try await NotifierFixture.make(smtpPort: sink.port)
        let custom = MessageTemplate(
            subject: "[{{tenant_id}}] Ruling: {{decision}}",
            text: "Dear {{employee_name}}, the ruling is {{decision}}.",
            html: "<p>Dear {{employee_name}}, the ruling is <b>{{decision}}</b>.</p>")
        try await fixture.pool.withConnection {
            try TemplateStore.save(custom, tenantID: fixture.tenantID, kind: .decision, on: $0)
        }
        let key = fixture.eventKey("decision")
        let requestID = UUID()
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: requestID, eventKey: key, kind: .decision,
                    recipients: [.init(email: testAddress("employee"))],
                    data: ["decision": "approved", "employee_name": "Ada & Co"]))
            _ = try await fixture.waitForDeliveries(key) { $0.first?.status == "delivered" }
        }
        let mail = try #require(try await sink.waitForMessages(1).first)
        #expect(mail.header("Subject") == "[\(fixture.tenantID)] Ruling: approved")
        #expect(mail.text?.hasPrefix("Dear Ada & Co, the ruling is approved.") == true)
        #expect(mail.html?.contains("<p>Dear Ada &amp; Co, the ruling is <b>approved</b>.</p>") == true)
        // The override left the request id out; the notifier adds it.
        #expect(mail.text?.contains("Request: \(requestID.uuidString.lowercased())") == true)
        await sink.stop()
    }
    /// The links in the text and HTML carry the signed token of the delivery's `action_tokens`
    /// row, which names step 0 and the approver and expires in seven days.
    private func expectActionLinks(row: DeliveryRow, text: String, html: String, approver: String, pool: PostgresPool)
        async throws
    {
        let tokenID = try #require(row.actionTokenID)
        let token = ActionLink.token(id: tokenID, secret: NotifierFixture.secret)
        #expect(text.contains("http://127.0.0.1:8080/v1/actions/\(token)?decision=approve"))
        #expect(text.contains("http://127.0.0.1:8080/v1/actions/\(token)?decision=deny"))
        #expect(html.contains("http://127.0.0.1:8080/v1/actions/\(token)?decision=approve"))
        #expect(ActionLink.verify(token, secret: NotifierFixture.secret) == tokenID)
        let stored = try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT step_idx, approver_email, used_at IS NULL AS unused,
                       expires_at BETWEEN now() + interval '6 days 23 hours' AND now() + interval '7 days 1 minute' AS ttl_ok
                  FROM action_tokens WHERE id = $1
                """, tokenID
            ).first!
        }
        #expect(
            try stored.decode("step_idx", as: Int.self) == 0
                && stored.decode("approver_email", as: String.self) == approver)
        #expect(try stored.decode("unused", as: Bool.self) && stored.decode("ttl_ok", as: Bool.self))
    }
}

/// Waits until job `id` is in `state`, failing the test when it does not get there in time.
func waitForJob(_ id: Int64, _ state: String, _ fixture: NotifierFixture, timeout: Duration = .seconds(30)) async throws
{
    let deadline = ContinuousClock.now + timeout
    var current = ""
    while ContinuousClock.now < deadline {
        current = try await fixture.pool.withConnection {
            try $0.query("SELECT state FROM fwa_jobs WHERE id = $1", id).first!.decode("state")
        }
        if current == state { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("job \(id) is \(current), expected \(state)")
}
