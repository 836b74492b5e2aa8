import Foundation
import HTTPTypes
import Storage
import TestSupport
import Testing

@testable import Intake

/// The page behind an email action link (`GET /v1/actions/{token}`), over real HTTP: it escapes
/// stored text per Unicode scalar, and sends headers that keep it out of caches, frames and
/// referrers (issue 14, item 2 and the review's note on the action page).
@Suite("The action link page: escaping and headers")
struct ActionPageTests {
    @Test(
        "no-store, no framing (X-Frame-Options and CSP frame-ancestors), no referrer; markup inside grapheme clusters stays text"
    )
    func headersAndEscaping() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let request = try await h.submit(tenant, key: key)
            // Text stored before today's validation (or by another writer) reaches the page as it is.
            let name = "\u{600}<a href=\"https://evil.example/\">Approve</a>"
            let justification = "\u{605}<img src=x onerror=alert(1)> \"\u{301} onmouseover=\"alert(1)"
            _ = try await h.sql(
                """
                UPDATE requests SET input = jsonb_set(jsonb_set(input, '{employee,name}', to_jsonb($2::text)), '{justification}', to_jsonb($3::text))
                 WHERE id = $1::uuid
                """, [request, name, justification])
            try await h.openStep(request, 0)
            let id = UUID()
            _ = try await h.sql(
                """
                INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at)
                VALUES ($1, $2, $3::uuid, 0, 'bo@example.edu', now() + interval '1 hour')
                """, [id, tenant, request])
            let page = try await h.send(
                .get, "/v1/actions/\(ActionLink.token(id: id, secret: IntakeHarness.actionSecret))?decision=deny",
                headers: ["Accept": "text/html"])
            #expect(page.status == .ok)
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let policy = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(
                policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"),
                "\(policy) \(page.headers)")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")

            let document = try HTMLDocument.parse(page.text)
            #expect(
                document.tags.map(\.name).allSatisfy {
                    [
                        "html", "head", "meta", "title", "body", "h1", "p", "form", "label", "input", "br", "textarea",
                        "button",
                    ].contains($0)
                },
                "a tag from data: \(document.tags.map(\.name))")
            #expect(
                !document.tags.contains {
                    $0.attributes.contains { ["href", "src", "onerror", "onmouseover"].contains($0[0]) }
                }, "\(document.tags)")
            #expect(
                document.text.contains(name) && document.text.contains(justification),
                "shown as written: \(document.text)")
        }
    }
}
