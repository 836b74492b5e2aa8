import Foundation
import HTTPTypes
import HummingbirdTesting
import Policy
import Storage
import Testing

@testable import Intake

/// Issue 14, items 2 and 11: free text refuses control and format characters (Cc; Cf except
/// U+200C/U+200D), runs of more than 8 combining marks, and more UTF-8 bytes than 8 per allowed
/// character, with `422` naming the field and the rule, and stores nothing.
@Suite("Free text: control and format characters, combining runs and bytes")
struct FreeTextTests {
    /// A value, the rule its message names.
    static let refused: [(value: String, rule: String)] = [
        ("\u{600}<a href=\"https://evil.example/\">Approve</a>", "U+0600 ARABIC NUMBER SIGN"),
        ("Ana \u{202E}amiL", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Ana\u{FEFF}", "format characters"),
        ("Ana\u{200B}Lima", "format characters"),
        ("Ana\r\nBcc: evil@example.com", "control characters"),
        ("Ana\u{7}", "control characters"),
        ("Ana\u{85}Lima", "control characters"),
        ("e" + String(repeating: "\u{301}", count: 9), "more than 8 combining marks"),
        ("A" + String(repeating: "\u{301}", count: 100_000), "bytes of UTF-8"),  // one character, 200,001 bytes
    ]
    /// Fields where tabs and line breaks are text.
    static let multiline: Set<String> = ["/justification", "/schedule", "/fields/note"]

    @Test("names, justification, schedule, city and custom fields: 422 naming the field and the rule; nothing stored")
    func submissions() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let fields: [(pointer: String, place: (inout [String: Any], String) -> Void)] = [
                ("/employee/name", { body, text in Self.setEmployee(&body, "name", text) }),
                ("/employee/department", { body, text in Self.setEmployee(&body, "department", text) }),
                ("/employee/job_title", { body, text in Self.setEmployee(&body, "job_title", text) }),
                ("/justification", { body, text in body["justification"] = text }),
                ("/schedule", { body, text in body["schedule"] = text }),
                ("/fields/note", { body, text in body["fields"] = ["note": text] }),
            ]
            for (pointer, place) in fields {
                for (value, rule) in Self.refused
                where !(Self.multiline.contains(pointer) && value.hasPrefix("Ana\r\n")) {
                    var body = try Self.submission()
                    place(&body, value)
                    let answer = try await h.send(
                        .post, "/v1/tenants/\(tenant)/requests", token: key, json: Self.json(body))
                    #expect(
                        answer.status == .unprocessableContent,
                        "\(pointer) \(value.prefix(12).debugDescription): \(answer.status)")
                    #expect(
                        try Self.message(answer, pointer)?.contains(rule) == true,
                        "\(pointer): \(answer.text.prefix(400))")
                }
            }
            // A name of 200 characters may take 1,600 bytes: 64 families of four (25 bytes each) pass, 65 do not.
            for (count, status) in [(65, HTTPResponse.Status.unprocessableContent), (64, .accepted)] {
                var body = try Self.submission()
                Self.setEmployee(&body, "name", String(repeating: "👩‍👩‍👧‍👦", count: count))
                let answer = try await h.send(
                    .post, "/v1/tenants/\(tenant)/requests", token: key, json: Self.json(body))
                #expect(answer.status == status, "\(count) families: \(answer.text.prefix(300))")
                if count == 65 {
                    #expect(
                        try Self.message(answer, "/employee/name")
                            == "must be at most 1600 bytes of UTF-8 (and 200 characters), got 1625 bytes")
                }
            }
            // Line breaks and tabs are text in multi-line fields, not in names.
            var lines = try Self.submission()
            lines["justification"] = "Lab work Mon-Wed.\r\nWriting Thu-Fri.\tThanks."
            lines["schedule"] = "Mon: office\nTue: home"
            var name = try Self.submission()
            Self.setEmployee(&name, "name", "Zoë Nguyễn 👩‍👩‍👧‍👦 עִבְרִית क्षत्रिय")
            #expect(
                try await h.send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: Self.json(lines)).status
                    == .accepted)
            #expect(
                try await h.send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: Self.json(name)).status
                    == .accepted)
            let stored = try await h.sql("SELECT count(*) AS n FROM requests WHERE tenant_id = $1", [tenant])
            #expect(try stored.first?.decode("n", as: Int.self) == 3, "only the three valid submissions")
        }
    }

    @Test("reasons, notes, departments and key names: 422 naming the field, before anything is looked up")
    func otherFreeText() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let user = ["X-Acting-User": try await IntakeHarness.user("bo@example.edu")]
            let some = UUID().uuidString.lowercased()
            // A link signed with the intake's secret (its signature is checked before the body is
            // read) for a token that does not exist: the body is refused before any lookup.
            let signed = ActionLink.token(id: UUID(), secret: IntakeHarness.actionSecret)
            for (value, rule) in Self.refused where !value.hasPrefix("Ana\r\n") {
                let text = try Self.jsonString(value)
                let link = try await h.send(
                    .post, "/v1/actions/\(signed)", json: #"{"decision": "deny", "reason": \#(text)}"#)
                if text.utf8.count > 64 * 1024 {
                    // An action link's body is bounded at 64 KiB before it is read.
                    #expect(link.status == .contentTooLarge, "action link: \(link.text.prefix(400))")
                } else {
                    #expect(
                        try Self.message(link, "/reason")?.contains(rule) == true,
                        "action link: \(link.text.prefix(400))")
                }
                let probes: [(String, String, String, [String: String])] = [
                    (
                        "/v1/tenants/\(tenant)/requests/\(some)/decisions",
                        #"{"decision": "deny", "reason": \#(text)}"#, "/reason", user
                    ),
                    (
                        "/v1/tenants/\(tenant)/requests/\(some)/withdraw",
                        #"{"effective_date": "2030-01-01", "reason": \#(text)}"#, "/reason", user
                    ),
                    ("/v1/tenants/\(tenant)/alerts/\(some)/acknowledge", #"{"note": \#(text)}"#, "/note", user),
                    (
                        "/v1/tenants/\(tenant)/delegations",
                        #"{"role": "department_head", "delegate_email": "x@example.edu", "from": "2030-01-01", "to": "2030-01-02", "department": \#(text)}"#,
                        "/department", user
                    ),
                ]
                for (path, body, pointer, headers) in probes {
                    let answer = try await h.send(.post, path, token: key, json: body, headers: headers)
                    #expect(
                        answer.status == .unprocessableContent,
                        "\(path) \(value.prefix(12).debugDescription): \(answer.status) \(answer.text.prefix(300))")
                    #expect(
                        try Self.message(answer, pointer)?.contains(rule) == true, "\(path): \(answer.text.prefix(400))"
                    )
                }
                let named = try await h.send(
                    .post, "/v1/tenants/\(tenant)/api-keys", token: IntakeHarness.adminToken,
                    json: #"{"name": \#(text), "scopes": ["requests:read"]}"#)
                #expect(try Self.message(named, "/name")?.contains(rule) == true, "\(named.text.prefix(300))")
            }
            // A reason may span lines.
            let multiline = try await h.send(
                .post, "/v1/actions/\(signed)",
                json: #"{"decision": "deny", "reason": "Not now.\r\nAsk again in May."}"#)
            #expect(multiline.status == .notFound, "past validation to the token check: \(multiline.status)")
            let keys = try await h.sql("SELECT count(*) AS n FROM api_keys WHERE tenant_id = $1", [tenant])
            #expect(try keys.first?.decode("n", as: Int.self) == 1, "only the harness's key")
        }
    }

    // MARK: Helpers

    /// A valid submission from its own employee (one pending request per employee and start).
    static func submission() throws -> [String: Any] {
        let employee = "emp\(UInt32.random(in: 0...UInt32.max))@example.edu"
        return try JSONSerialization.jsonObject(with: Data(IntakeHarness.submission(employee: employee).utf8))
            as! [String: Any]
    }

    static func setEmployee(_ body: inout [String: Any], _ key: String, _ value: String) {
        var employee = body["employee"] as! [String: Any]
        employee[key] = value
        body["employee"] = employee
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func jsonString(_ text: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    /// The message of the field error at `pointer`, if any.
    static func message(_ answer: TestResponse, _ pointer: String) throws -> String? {
        let errors = try answer.object()["errors"] as? [[String: Any]] ?? []
        return errors.first { $0["pointer"] as? String == pointer }?["message"] as? String
    }
}
