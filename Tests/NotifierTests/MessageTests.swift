import Foundation
import Jobs
import Postgres
import ServiceKit
import Storage
import Testing
import Workflow

@testable import Notifier

@Suite("Templates, MIME and configuration (no I/O)")
struct MessageTests {
    @Test("data goes in as variables: Mustache in data stays literal, HTML is escaped, plain text is not")
    func noTemplateInjection() throws {
        let template = DefaultTemplates.template(for: .decision)
        let rendered = try template.render([
            "employee_name": "{{tenant_id}} <b>Mallory</b>", "decision": "{{#x}}denied{{/x}}",
            "arrangement_type": "hybrid", "tenant_id": "acme", "request_id": "r-1",
        ])
        #expect(
            rendered.subject == "Decision on the hybrid request of {{tenant_id}} <b>Mallory</b>: {{#x}}denied{{/x}}")
        #expect(rendered.text.contains("{{tenant_id}} <b>Mallory</b>"))
        #expect(
            rendered.html.contains("{{tenant_id}} &lt;b&gt;Mallory&lt;/b&gt;") && !rendered.html.contains("<b>Mallory"))
    }

    @Test(
        "every kind has a built-in template that renders its subject and the request id",
        arguments: NotificationKind.allCases)
    func defaults(kind: NotificationKind) throws {
        let rendered = try DefaultTemplates.template(for: kind).render([
            "request_id": "req-42", "employee_name": "Ada", "tenant_id": "t",
        ])
        #expect(!rendered.subject.isEmpty && !rendered.subject.contains("\n"))
        #expect(rendered.text.contains("req-42") && rendered.html.contains("req-42"))
        #expect(!rendered.text.contains("<p>"))
    }

    @Test("tenant templates that would unescape data or pull in partials are refused")
    func overrideValidation() throws {
        let base = MessageTemplate(subject: "s", text: "t", html: "<p>{{employee_name}}</p>")
        try base.validateOverride()
        for html in [
            "{{{employee_name}}}", "{{&employee_name}}", "{{> layout}}", "{{=<% %>=}}", "{{% CONTENT_TYPE: TEXT}}",
            "{{#open}}",
        ] {
            var bad = base
            bad.html = html
            #expect(throws: MessageTemplate.Problem.self) { try bad.validateOverride() }
        }
    }

    @Test("the notification contract's wire form: the keys producers write and the notifier reads")
    func jobContract() throws {
        let requestID = UUID()
        let job = NotificationJob(
            tenantID: "mit", requestID: requestID, eventKey: "step_opened:x:1", kind: .stepOpened,
            recipients: [.init(role: "payroll"), .init(email: "a@b.c", webhookURL: "https://h.example/x")],
            data: ["employee_name": "Ada"], action: .init(stepIndex: 1, approverEmail: "a@b.c"))
        let wire = try JSONSerialization.jsonObject(with: Data(try JSONText(encoding: job).text.utf8)) as? [String: Any]
        #expect(wire?["tenant_id"] as? String == "mit")
        #expect(wire?["event_key"] as? String == "step_opened:x:1")
        #expect(wire?["kind"] as? String == "step_opened")
        #expect((wire?["action"] as? [String: Any])?["step_idx"] as? Int == 1)
        #expect(((wire?["recipients"] as? [[String: Any]])?.last)?["webhook_url"] as? String == "https://h.example/x")
        #expect(try JSONText(encoding: job).decode(NotificationJob.self) == job)
        #expect(NotificationJob.queue == "notify" && NotificationJob.kind == "notification.send")
        let minimal = try JSONText(#"{"tenant_id":"t","event_key":"e","kind":"alert"}"#).decode(NotificationJob.self)
        #expect(minimal.recipients.isEmpty && minimal.data.isEmpty && minimal.requestID == nil)
        #expect(throws: DecodingError.self) {
            try JSONText(#"{"tenant_id":"t","event_key":"e","kind":"party"}"#).decode(NotificationJob.self)
        }
    }

    @Test("header values lose CR, LF and control characters; long or non-ASCII subjects become encoded words")
    func headers() {
        #expect(MIMEText.headerValue("Hi\r\nBcc: x@y\u{0}z") == "Hi Bcc: x@y z")
        let encoded = MIMEText.encodedHeaderValue("Café\r\nBcc: x@y")
        #expect(encoded.hasPrefix("=?UTF-8?B?") && !encoded.contains("Bcc"))
        #expect(!encoded.replacingOccurrences(of: "\r\n ", with: "").contains("\r") && !encoded.contains("\n\t"))
        let decoded = encoded.components(separatedBy: "\r\n ").map { word in
            String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self)
        }.joined()
        #expect(decoded == "Café Bcc: x@y")
    }

    @Test("DATA dot-stuffs lines that start with a dot and ends with CRLF.CRLF")
    func dotStuffing() {
        let envelope = SMTPEnvelope(
            from: "a@b.c", recipients: ["d@e.f"], message: "Subject: x\r\n\r\n.hidden\r\n..two\nbare\r\n.")
        #expect(envelope.dataSection == "Subject: x\r\n\r\n..hidden\r\n...two\r\nbare\r\n..\r\n.\r\n")
    }

    @Test("SMTP reply lines: continuation, last line, garbage")
    func replyLines() throws {
        #expect(try SMTPReplyDecoder.parse("250-STARTTLS") == (250, false, "STARTTLS"))
        #expect(try SMTPReplyDecoder.parse("250 OK") == (250, true, "OK"))
        #expect(try SMTPReplyDecoder.parse("221") == (221, true, ""))
        #expect(throws: SMTPError.self) { try SMTPReplyDecoder.parse("hello") }
        #expect(SMTPError.reply(command: "RCPT TO", code: 550, text: "no").isPermanent)
        #expect(!SMTPError.reply(command: "RCPT TO", code: 451, text: "later").isPermanent)
        #expect(!SMTPError.connection("refused").isPermanent && !SMTPError.timeout.isPermanent)
    }

    @Test("addresses that could smuggle commands or headers are refused")
    func addresses() {
        #expect(EmailAddress.normalized(" Ada@Example.EDU ") == "ada@example.edu")
        for bad in [
            "a@b\r\nRCPT TO:<x@y>", "a b@c.d", "<a@b.c>", "a@b.c>", "nobody", "a@@b.c", "a@.b", "é@b.c", "a,b@c.d",
        ] {
            #expect(!EmailAddress.isValid(bad), "\(bad)")
        }
    }

    @Test("FWA_SMTP_URL: schemes, STARTTLS, credentials, and no credentials in clear text to a remote host")
    func smtpURL() throws {
        #expect(
            try SMTPConfiguration.parse("smtp://127.0.0.1:2525") == SMTPConfiguration(host: "127.0.0.1", port: 2525))
        let tls = try SMTPConfiguration.parse("smtps://u%40x:p%3Aw@mail.example.edu")
        #expect(
            tls.security == .implicitTLS && tls.port == 465 && tls.credentials == .init(user: "u@x", password: "p:w"))
        #expect(try SMTPConfiguration.parse("smtp://u:p@mail.example.edu:587?starttls=1").security == .startTLS)
        for bad in ["http://x", "smtp://u:p@mail.example.edu", "smtp://x?starttls=maybe", "smtp://"] {
            #expect(throws: ConfigurationError.self) { try SMTPConfiguration.parse(bad) }
        }
    }

    @Test("configuration fails fast, naming the variable")
    func configuration() throws {
        let base = [
            "FWA_SMTP_URL": "smtp://127.0.0.1:25", "FWA_PUBLIC_URL": "http://127.0.0.1:8080/",
            "FWA_ACTION_LINK_SECRET": "q7Vw2Lk9Rt4Xz8Mb3Nh6Jp1Fd5Gs0YcE",
        ]
        let read = try NotifierConfiguration.read(EnvironmentReader(base))
        #expect(read.publicURL == "http://127.0.0.1:8080" && read.from == "flexwork@localhost")
        #expect(read.actionLinkTTL == .seconds(7 * 24 * 3600) && read.webhookTimeout == .seconds(10))
        #expect(read.smtpIdleLimit == .seconds(5))
        #expect(
            try NotifierConfiguration.read(EnvironmentReader(base.merging(["FWA_SMTP_IDLE_SECONDS": "0"]) { $1 }))
                .smtpIdleLimit == .zero)
        let cases: [(String, String?)] = [
            ("FWA_ACTION_LINK_SECRET", nil), ("FWA_ACTION_LINK_SECRET", "short"), ("FWA_SMTP_URL", nil),
            ("FWA_PUBLIC_URL", "ftp://x"), ("FWA_SMTP_FROM", "Flexwork <a@b.c>"), ("FWA_ACTION_LINK_TTL", "soon"),
            ("FWA_WEBHOOK_TIMEOUT", "0"), ("FWA_SMTP_IDLE_SECONDS", "-1"), ("FWA_SMTP_IDLE_SECONDS", "301"),
            ("FWA_SMTP_IDLE_SECONDS", "forever"),
        ]
        for (variable, value) in cases {
            var environment = base
            environment[variable] = value
            let error = #expect(throws: ConfigurationError.self) {
                try NotifierConfiguration.read(EnvironmentReader(environment))
            }
            #expect(error?.variable == variable)
        }
    }
}
