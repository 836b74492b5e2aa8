import Foundation
import Jobs
import TestSupport
import Testing
import Workflow

@testable import Notifier

/// Issue 14, item 2: names and reasons that put markup inside a grapheme cluster (a `<` after
/// U+0600, a `"` before a combining mark) go through the real notifier and SMTP server; an HTML
/// parser reading the received HTML part finds only the template's own tags and attributes.
@Suite("HTML injection through names and reasons, parsed from the email that arrives")
struct HTMLInjectionTests {
    /// One Character each, for Swift: U+0600 is a prepended mark, U+0301 a combining one.
    static let link = "\u{600}<a href=\"https://evil.example/approve\">Approve</a>"
    static let image = "\u{605}<img src=x onerror=alert(1)>"
    static let attribute = "Eve\"\u{301} onmouseover=\"alert(1)\" x=\"\u{301}"
    static let comment = "\u{600}<!-- \u{600}<script>alert(1)</script>"

    @Test("default and tenant templates: no tag, attribute or link from data comes alive; the text is shown as written")
    func hostileDataStaysText() async throws {
        let sink = try await SMTPSink.start()
        let fixture = try await NotifierFixture.make(smtpPort: sink.port)
        // A tenant template that places a value inside an attribute, where a lone `"` ends it.
        try await fixture.pool.withConnection { connection in
            try TemplateStore.save(
                MessageTemplate(
                    subject: "Decision {{decision}}", text: "{{reason}}",
                    html: "<p title=\"{{employee_name}}\">Decision: {{decision}}. {{reason}}</p>"),
                tenantID: fixture.tenantID, kind: .decision, on: connection)
        }
        let requestID = try await fixture.makeRequest()
        let approver = testAddress("approver")
        let employee = testAddress("employee")
        let officer = testAddress("officer")
        let opened = fixture.eventKey("step_opened")
        let decided = fixture.eventKey("decision")
        let ended = fixture.eventKey("terminated")
        try await fixture.withWorker {
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: requestID, eventKey: opened, kind: .stepOpened,
                    recipients: [.init(email: approver)],
                    data: [
                        "employee_name": Self.link, "arrangement_type": "hybrid", "start_date": "2026-01-05",
                        "step_role": Self.image,
                    ],
                    action: .init(stepIndex: 0, approverEmail: approver)))
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: requestID, eventKey: decided, kind: .decision,
                    recipients: [.init(email: employee)],
                    data: ["employee_name": Self.attribute, "decision": "denied", "reason": Self.link]))
            try await fixture.send(
                NotificationJob(
                    tenantID: fixture.tenantID, requestID: requestID, eventKey: ended, kind: .terminated,
                    recipients: [.init(email: officer)],
                    data: ["employee_name": "Ada", "arrangement_type": "hybrid", "reason": Self.comment]))
            _ = try await sink.waitForMessages(3)
        }
        let mails = try sink.messages()
        let approverHTML = try #require(mails.first { $0.header("To") == approver }?.html)
        let page = try HTMLDocument.parse(approverHTML)
        Self.expectOnlyTemplateMarkup(page, publicURL: fixture.configuration.publicURL)
        #expect(page.tags.filter { $0.name == "a" }.count == 2, "the Approve and Deny links only: \(page.tags)")
        #expect(page.text.contains(Self.link) && page.text.contains(Self.image), "shown as written: \(page.text)")

        let employeeHTML = try #require(mails.first { $0.header("To") == employee }?.html)
        let decision = try HTMLDocument.parse(employeeHTML)
        Self.expectOnlyTemplateMarkup(decision, publicURL: fixture.configuration.publicURL)
        #expect(decision.tags.first { $0.name == "p" }?.attribute("title") == Self.attribute, "\(decision.tags)")
        #expect(decision.text.contains(Self.link))

        let officerHTML = try #require(mails.first { $0.header("To") == officer }?.html)
        let ending = try HTMLDocument.parse(officerHTML)
        Self.expectOnlyTemplateMarkup(ending, publicURL: fixture.configuration.publicURL)
        #expect(ending.text.contains(Self.comment), "\(ending.text)")
        await sink.stop()
    }

    /// The tags and attributes the templates use, and links only to the intake's action pages.
    static func expectOnlyTemplateMarkup(_ document: HTMLDocument, publicURL: String) {
        for tag in document.tags {
            #expect(["html", "body", "p", "code", "a"].contains(tag.name), "a tag from data: \(tag)")
            for attribute in tag.attributes {
                #expect(["style", "href", "title"].contains(attribute[0]), "an attribute from data: \(tag)")
            }
            if let href = tag.attribute("href") {
                #expect(href.hasPrefix(publicURL + "/v1/actions/"), "a link from data: \(href)")
            }
        }
    }
}
