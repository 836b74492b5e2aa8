import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Policy
import Postgres
import Storage
import TestSupport
import Testing

@testable import Intake

#if canImport(Glibc)
import Glibc
#endif

/// Hostile headers and bodies over real HTTP: oversized, slow, not UTF-8, SQL-looking, CR/LF in
/// addresses, template syntax in names, extreme numbers and dates. Every answer is a 4xx
/// problem document or a success; nothing is ever 5xx, and what is stored is stored verbatim.
@Suite("Hostile input over HTTP")
struct HostileInputTests {
    // MARK: Bodies

    @Test(
        "oversized bodies: 413 problem+json by Content-Length and by a chunked body, before parsing; tenant policies may be 4x"
    )
    func oversized() async throws {
        try await IntakeHarness.run(maxBodyBytes: 4096) { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)  // the policy (~10 KB) goes under the 4x limit of tenant PUTs
            let big = IntakeHarness.submission(extra: #", "schedule": "\#(String(repeating: "x", count: 5000))""#)
            let answer = try await h.send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: big)
            #expect(answer.status == .contentTooLarge)
            #expect(try answer.problemType() == "payload-too-large")
            // A chunked body of unknown length is cut at the limit, too.
            let port = try #require(h.client.port)
            let chunk = String(repeating: "y", count: 3000)
            let head =
                "POST /v1/tenants/\(tenant)/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            let body =
                (0..<3).map { _ in String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n" }.joined()
                + "0\r\n\r\n"
            let raw = await RawHTTP.exchange(port: port, parts: [head, body])
            #expect(raw.response.hasPrefix("HTTP/1.1 413"), "\(raw.response.prefix(300))")
            #expect(raw.response.contains("application/problem+json"))
            // A Content-Length far beyond the limit is refused without reading the body.
            let lying = await RawHTTP.exchange(
                port: port,
                parts: [
                    "POST /v1/tenants/\(tenant)/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\nConnection: close\r\n\r\n{"
                ])
            #expect(lying.response.hasPrefix("HTTP/1.1 413"), "\(lying.response.prefix(300))")
            #expect(
                try await h.sql("SELECT count(*) AS n FROM requests WHERE tenant_id = $1", [tenant]).first?.decode(
                    "n", as: Int.self) == 0)
        }
    }

    @Test(
        "malformed framing: a bad Content-Length or a garbage request line gets a 4xx or a closed connection, and the server keeps serving"
    )
    func malformedFraming() async throws {
        try await IntakeHarness.run { h in
            let port = try #require(h.client.port)
            let probes = [
                "POST /v1/tenants/x/requests HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
                "POST /v1/tenants/x/requests HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
                "POST /v1/tenants/x/requests HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\n12345",
                "\u{1}\u{2}GARBAGE\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{0}b\r\nConnection: close\r\n\r\n",
                "GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ]
            for probe in probes {
                let raw = await RawHTTP.exchange(port: port, parts: [probe])
                let status = raw.response.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                #expect(
                    status == nil || (400..<500).contains(status!),
                    "\(probe.prefix(60).debugDescription): \(raw.response.prefix(200))")
            }
            #expect(try await h.send(.get, "/healthz").status == .ok)
        }
    }

    @Test("invalid UTF-8 in the body, the path, the query and headers: 4xx problem+json, never 5xx")
    func invalidUTF8() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            var bytes = Array(IntakeHarness.submission().utf8)
            let name = Array("Ana Lima".utf8)
            let at = try #require(bytes.firstRange(of: name))
            // invalid bytes, an overlong and a surrogate
            bytes.replaceSubrange(at, with: [0x41, 0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80])
            let body = try await h.client.execute(
                uri: "/v1/tenants/\(tenant)/requests", method: .post,
                headers: [.authorization: "Bearer \(key)", .contentType: "application/json"],
                body: ByteBuffer(bytes: bytes))
            #expect(body.status == .badRequest, "\(body.text)")
            #expect(try body.problemType() == "malformed-request")
            for path in [
                "/v1/tenants/\(tenant)/requests/%FF%FE", "/v1/tenants/%C3%28/requests",
                "/v1/tenants/\(tenant)/requests?employee=%FF%40x.edu",
                "/v1/tenants/\(tenant)/requests?cursor=%ED%A0%80", "/v1/actions/%FF.%FF",
            ] {
                let answer = try await h.send(.get, path, token: key)
                #expect((400..<500).contains(answer.status.code), "\(path): \(answer.status) \(answer.text)")
                #expect(answer.headers[.contentType] == "application/problem+json", "\(path)")
            }
            // Header values with bytes above 0x7F.
            let port = try #require(h.client.port)
            for header in [
                "Authorization: Bearer fwa_\u{FF}\u{FE}", "X-Acting-User: \u{FF}.\u{FE}.\u{FD}",
                "Idempotency-Key: \u{FF}\u{FE}",
            ] {
                let raw = await RawHTTP.exchange(
                    port: port,
                    parts: [
                        "POST /v1/tenants/\(tenant)/requests HTTP/1.1\r\nHost: x\r\n\(header)\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
                    ], latin1: true)
                let status = raw.response.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                #expect(status.map { (400..<500).contains($0) } ?? true, "\(header): \(raw.response.prefix(200))")
            }
            #expect(
                try await h.sql("SELECT count(*) AS n FROM requests WHERE tenant_id = $1", [tenant]).first?.decode(
                    "n", as: Int.self) == 0)
        }
    }

    @Test("deeply nested JSON and absurd numbers: 400 or 422 with a pointer, never a crash or a 5xx")
    func nestingAndNumbers() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let path = "/v1/tenants/\(tenant)/requests"
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let nested =
                #"{"employee": "# + String(repeating: #"{"a": "#, count: 20_000) + "1"
                + String(repeating: "}", count: 20_000) + "}"
            for body in [deep, nested] {
                let answer = try await h.send(.post, path, token: key, json: body)
                #expect(answer.status == .badRequest, "\(answer.status) \(answer.text.prefix(200))")
            }
            let policyDeep = String(repeating: #"{"x":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000)
            let put = try await h.send(.put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken, json: policyDeep)
            #expect((400..<500).contains(put.status.code), "\(put.status) \(put.text.prefix(200))")
            let numbers: [(String, String)] = [
                (#""remote_days_per_week": 2"#, #""remote_days_per_week": 99999999999999999999"#),
                (#""remote_days_per_week": 2"#, #""remote_days_per_week": 2.5"#),
                (#""remote_days_per_week": 2"#, #""remote_days_per_week": -2147483649"#),
                (#""remote_days_per_week": 2"#, #""remote_days_per_week": 1e400"#),
                (#""remote_days_per_week": 2"#, #""remote_days_per_week": "2""#),
                (#""exempt": true"#, #""exempt": true, "months_employed": 2147483647"#),
                (#""exempt": true"#, #""exempt": true, "months_employed": -1"#),
                (#""exempt": true"#, #""exempt": "yes""#),
            ]
            for (from, to) in numbers {
                let body = IntakeHarness.submission().replacingOccurrences(of: from, with: to)
                let answer = try await h.send(.post, path, token: key, json: body)
                #expect(
                    [.badRequest, .unprocessableContent].contains(answer.status),
                    "\(to): \(answer.status) \(answer.text)")
                #expect(try !answer.pointers().isEmpty, "\(to): \(answer.text)")
            }
        }
    }

    @Test(
        "dates impossible or outside 1990-2100: 422 with the field's pointer; the admitted extremes are evaluated quickly"
    )
    func dates() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let path = "/v1/tenants/\(tenant)/requests"
            let good = BusinessCalendar.localDate(
                at: Date().addingTimeInterval(30 * 86_400), timeZone: "America/New_York"
            ).description
            for bad in [
                "2030-02-30", "2030-13-01", "2030-00-10", "2030-1-1", "+2030-01-01", "20300-01-01",
                "2030-01-01T00:00:00Z",
                "٢٠٣٠-٠١-٠١", "2030-01-0\\u0000", "", "-001-01-01",
            ] {
                let body = IntakeHarness.submission().replacingOccurrences(of: good, with: bad)
                let answer = try await h.send(.post, path, token: key, json: body)
                #expect(
                    answer.status == .unprocessableContent, "\(bad.debugDescription): \(answer.status) \(answer.text)")
                #expect(try answer.pointers() == ["/start_date"], "\(bad.debugDescription): \(answer.text)")
            }
            // Real dates beyond the years tenant calendars cover are refused (one reaching 9999 cost a minute of CPU).
            for (start, end, pointers) in [
                ("0000-01-01", "9999-12-31", ["/start_date", "/end_date"]), ("9999-12-31", nil, ["/start_date"]),
                (good, "2101-01-01", ["/end_date"]), ("1989-12-31", nil, ["/start_date"]),
            ] {
                var body = IntakeHarness.submission().replacingOccurrences(of: good, with: start)
                if let end {
                    body = body.replacingOccurrences(
                        of: #""start_date""#, with: #""end_date": "\#(end)", "start_date""#)
                }
                let answer = try await h.send(.post, path, token: key, json: body)
                #expect(
                    answer.status == .unprocessableContent, "\(start)…\(end ?? ""): \(answer.status) \(answer.text)")
                #expect(try answer.pointers() == pointers, "\(start)…\(end ?? ""): \(answer.text)")
            }
            // The extremes that are admitted are evaluated quickly.
            for (start, end) in [("1990-01-01", "2100-12-31"), ("2100-12-31", nil), (good, "2100-12-31")] {
                var body = IntakeHarness.submission().replacingOccurrences(of: good, with: start)
                if let end {
                    body = body.replacingOccurrences(
                        of: #""start_date""#, with: #""end_date": "\#(end)", "start_date""#)
                }
                let clock = ContinuousClock()
                var answer: TestResponse?
                let elapsed = try await clock.measure { answer = try await h.send(.post, path, token: key, json: body) }
                let status = try #require(answer).status
                #expect(
                    [.accepted, .unprocessableContent, .conflict].contains(status),
                    "\(start)…\(end ?? ""): \(status) \(answer!.text)")
                #expect(elapsed < .seconds(5), "\(start)…\(end ?? "") took \(elapsed)")
            }
            let list = try await h.send(.get, path + "?from=2100-12-31&to=1990-01-01", token: key)
            #expect(try list.pointers() == ["#to"])
        }
    }

    // MARK: Stored verbatim, never executed or interpreted

    @Test("SQL-looking, template and unicode strings are stored and returned verbatim; the tables are intact")
    func storedVerbatim() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let hostile = [
                "Robert'); DROP TABLE requests;--",
                "' OR '1'='1' --",
                "$1; SELECT pg_sleep(10)",
                "{{approve_url}} {{{secret}}} {{#request_id}}x{{/request_id}} ${jndi:ldap://x/a} <%= 7*7 %> {{7*7}}",
                "<script>alert(1)</script>&amp;\"quoted\"",
                "Zoë 👩‍👩‍👧‍👦 gnp.exe e\u{0301}\u{0302} ﷺ עִבְרִית",
                // 32 characters, 800 bytes: the city's limit (100 characters, 800 bytes)
                String(repeating: "👩‍👩‍👧‍👦", count: 32),
                // Control and format characters, a huge character and line breaks in a name are
                // refused instead (TextRulesTests).
            ]
            var stored: [String: String] = [:]
            for (index, text) in hostile.enumerated() {
                let submission: [String: Any] = [
                    "employee": [
                        "email": "emp\(index)@example.edu", "name": text, "department": "chemistry",
                        "employee_class": "administrative", "exempt": true,
                    ],
                    "supervisor_email": "bo@example.edu", "arrangement_type": "hybrid", "remote_days_per_week": 2,
                    "location": ["country": "US", "region": "MA", "city": String(text.prefix(100))],
                    "start_date": BusinessCalendar.localDate(
                        at: Date().addingTimeInterval(30 * 86_400), timeZone: "America/New_York"
                    ).description,
                    "justification": text, "fields": ["note": text],
                    "attestations": ["no_regular_dependent_care": true, "free_from_distractions": true],
                ]
                let json = String(decoding: try JSONSerialization.data(withJSONObject: submission), as: UTF8.self)
                let answer = try await h.send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: json)
                #expect(answer.status == .accepted, "\(text.debugDescription): \(answer.text)")
                stored[text] = try answer.object()["id"] as? String
            }
            for (text, id) in stored {
                let detail = try await h.send(.get, "/v1/tenants/\(tenant)/requests/\(id)", token: key)
                let object = try detail.object()
                #expect((object["employee"] as? [String: Any])?["name"] as? String == text)
                #expect(object["justification"] as? String == text)
                #expect((object["fields"] as? [String: Any])?["note"] as? String == text)
                let row = try await h.sql(
                    "SELECT input->'employee'->>'name' AS name FROM requests WHERE id = $1::uuid", [id])
                #expect(try row.first?.decode("name", as: String.self) == text)
            }
            let listed = try await h.send(.get, "/v1/tenants/\(tenant)/requests?limit=200", token: key)
            #expect((try listed.object()["items"] as? [Any])?.count == hostile.count)
            let tables = try await h.sql(
                "SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('requests', 'request_steps', 'events')")
            #expect(try tables.first?.decode("n", as: Int.self) == 3)
            // 201 characters is too long, however few bytes; a NUL cannot be stored in text, so it is refused.
            for (name, pointer) in [
                (String(repeating: "é", count: 201), "/employee/name"), ("Ana\u{0}Lima", "/employee/name"),
            ] {
                let body = IntakeHarness.submission().replacingOccurrences(of: "Ana Lima", with: Self.jsonEscaped(name))
                let answer = try await h.send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: body)
                #expect(
                    answer.status == .unprocessableContent,
                    "\(name.prefix(10).debugDescription): \(answer.status) \(answer.text)")
                #expect(try answer.pointers().contains(pointer), "\(answer.text)")
            }
        }
    }

    @Test("SQL-looking query parameters and cursors: 4xx with the parameter named, nothing executed")
    func sqlInQueries() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            _ = try await h.submit(tenant, key: key)
            let base = "/v1/tenants/\(tenant)/requests"
            let probes: [(String, String?)] = [
                ("?employee=x%27%20OR%20%271%27%3D%271", "#employee"),
                ("?arrangement_type=hybrid%27--", "#arrangement_type"),
                ("?approver=a%40b.c%27%3B%20DROP%20TABLE%20requests%3B--", "#approver"),
                ("?cursor=%27%20OR%201%3D1--", "#cursor"),
                ("?cursor=" + Base64URL.encode(Data("2030-01-01 00:00:00+00|x') OR 1=1--".utf8)), "#cursor"),
                ("?from=2030-01-01%27%3B--", "#from"),
                // nil: the OpenAPI runtime's decoding error does not name the parameter
                ("?limit=1%20OR%201%3D1", nil),
                ("?status=approved%27--", nil),
            ]
            for (query, pointer) in probes {
                let answer = try await h.send(.get, base + query, token: key)
                #expect((400..<500).contains(answer.status.code), "\(query): \(answer.status) \(answer.text)")
                #expect(try answer.problemType() != "", "\(query)")
                if let pointer { #expect(try answer.pointers().contains(pointer), "\(query): \(answer.text)") }
            }
            let all = try await h.send(.get, base, token: key)
            #expect((try all.object()["items"] as? [Any])?.count == 1)
        }
    }

    @Test(
        "CR/LF and other smuggling in email fields is refused (422 with every pointer); in the acting user's sub, 401")
    func headerInjectionInEmails() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let injected = [
                "ana@example.edu\r\nBcc: evil@example.com", "ana@example.edu\nSubject: hi", "ana@exa\rmple.edu",
                "ana@example.edu\u{0}", "ana@example.edu\u{85}x", "\"ana\"@example.edu>,evil@example.com",
                "ana@example.edu\u{2028}Bcc: x",
            ]
            for address in injected {
                let escaped = Self.jsonEscaped(address)
                let body = IntakeHarness.submission(employee: escaped, supervisor: escaped)
                let answer = try await h.send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: body)
                #expect(
                    answer.status == .unprocessableContent,
                    "\(address.debugDescription): \(answer.status) \(answer.text)")
                #expect(
                    Set(try answer.pointers()).isSuperset(of: ["/employee/email", "/supervisor_email"]),
                    "\(address.debugDescription): \(answer.text)")
                let delegation = try await h.send(
                    .post, "/v1/tenants/\(tenant)/delegations", token: key,
                    json:
                        #"{"role": "department_head", "delegate_email": "\#(escaped)", "from": "2030-01-01", "to": "2030-01-02"}"#,
                    headers: ["X-Acting-User": try await IntakeHarness.user("dlc-head@example.edu")])
                #expect(delegation.status == .unprocessableContent, "\(address.debugDescription): \(delegation.text)")
                let token = try await IntakeHarness.user(address)
                let acting = try await h.send(
                    .post, "/v1/tenants/\(tenant)/delegations", token: key,
                    json:
                        #"{"role": "department_head", "delegate_email": "x@example.edu", "from": "2030-01-01", "to": "2030-01-02"}"#,
                    headers: ["X-Acting-User": token])
                #expect(acting.status == .unauthorized, "\(address.debugDescription): \(acting.status) \(acting.text)")
            }
            #expect(
                try await h.sql("SELECT count(*) AS n FROM requests WHERE tenant_id = $1", [tenant]).first?.decode(
                    "n", as: Int.self) == 0)
        }
    }

    @Test("template and markup in names: the action page escapes them")
    func actionPageEscapes() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let name = "<script>alert(1)</script> {{approve_url}} \\\" onload=\\\"x"
            let request = try await h.submit(
                tenant, key: key, IntakeHarness.submission().replacingOccurrences(of: "Ana Lima", with: name))
            try await h.openStep(request, 0)
            let id = UUID()
            _ = try await h.sql(
                """
                INSERT INTO action_tokens (id, tenant_id, request_id, step_idx, approver_email, expires_at)
                VALUES ($1, $2, $3::uuid, 0, 'bo@example.edu', now() + interval '1 hour')
                """, [id, tenant, request])
            let page = try await h.send(
                .get, "/v1/actions/\(ActionLink.token(id: id, secret: IntakeHarness.actionSecret))",
                headers: ["Accept": "text/html"])
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>"))
            #expect(
                page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; {{approve_url}} &quot; onload=&quot;x"),
                "\(page.text)")
        }
    }

    // MARK: Slow clients

    @Test(
        "slow clients: a request sent in pieces is answered; a stalled one does not block others and is closed after the idle timeout"
    )
    func slowClients() async throws {
        // An idle timeout far above an answer's time even on a saturated machine (the whole suite
        // runs in parallel on 2 cores): a request blocked behind the stalled connections would
        // wait until they are closed, so answering before that proves it was not.
        try await Self.runLive(idleTimeout: .seconds(20)) { client in
            let port = try #require(client.port)
            let pieces = ["GET /heal", "thz HTTP/1.1\r\nHo", "st: x\r\nConnection: close\r\n", "\r\n"]
            let slow = await RawHTTP.exchange(port: port, parts: pieces, pause: .milliseconds(300))
            #expect(slow.response.hasPrefix("HTTP/1.1 200"), "\(slow.response.prefix(200))")
            let start = ContinuousClock.now
            async let stalled = RawHTTP.exchange(
                port: port,
                parts: ["POST /v1/tenants/x/requests HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":"],
                readTimeout: 45)
            async let idle = RawHTTP.exchange(port: port, parts: ["GET /healthz HTTP/1.1\r\nHo"], readTimeout: 45)
            var answered: [Duration] = []
            for _ in 0..<3 {  // fresh connections: the test client's own would hit the idle timeout too
                let other = await RawHTTP.exchange(
                    port: port, parts: ["GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
                    readTimeout: 15)
                #expect(other.response.hasPrefix("HTTP/1.1 200"), "\(other.response.prefix(100))")
                answered.append(ContinuousClock.now - start)
            }
            let (body, head) = await (stalled, idle)
            // Not blocked: the others were answered while the stalled head was still open (an order
            // of events, not a time limit). The stalled body is refused from its headers (no
            // credential) and closed soon after, so only the head waits for the idle timeout.
            for time in answered {
                #expect(
                    time < head.elapsed, "answered after \(time); the stalled head was closed after \(head.elapsed)")
            }
            #expect(
                body.closedByServer && body.elapsed < .seconds(44),
                "stalled body: closed \(body.closedByServer) after \(body.elapsed)")
            #expect(
                head.closedByServer && head.elapsed < .seconds(44),
                "stalled head: closed \(head.closedByServer) after \(head.elapsed)")
        }
    }

    // MARK: Helpers

    static func jsonEscaped(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
        return String(String(decoding: data, as: UTF8.self).dropFirst(2).dropLast(2))
    }

    /// A live intake with its own idle timeout (the harness keeps the default).
    static func runLive(
        idleTimeout: Duration, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var configuration = IntakeConfiguration(
            conninfo: TestDatabase.conninfo(user: TestDatabase.intakeLogin), host: "127.0.0.1", port: 0, poolSize: 2,
            logLevel: .warning, migrate: false,
            adminToken: IntakeHarness.adminToken, publicURL: "", maxBodyBytes: 256 * 1024, actionLinkSecret: nil,
            prunesIdempotencyKeys: false)
        configuration.idleTimeout = idleTimeout
        let pool = try await TestDatabase.pool(maxConnections: 2)
        let app = try await buildApplication(configuration)
        try await app.test(.live) { client in try await body(client) }
        await pool.shutdown()
    }
}

/// A plain TCP client for what an HTTP library will not send: pieces with pauses, broken framing,
/// raw bytes. Runs on its own thread (the calls block) and never waits longer than `readTimeout`.
enum RawHTTP {
    struct Result: Sendable {
        var response: String
        /// The server closed the connection (rather than the read timing out).
        var closedByServer: Bool
        var elapsed: Duration
    }

    static func exchange(
        port: Int, parts: [String], pause: Duration = .zero, readTimeout: Double = 5, latin1: Bool = false
    ) async -> Result {
        let payloads = parts.map {
            latin1 ? Array($0.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) : Array($0.utf8)
        }
        return await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(
                    returning: run(port: port, payloads: payloads, pause: pause, readTimeout: readTimeout))
            }.start()
        }
    }

    private static func run(port: Int, payloads: [[UInt8]], pause: Duration, readTimeout: Double) -> Result {
        let start = ContinuousClock.now
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Result(response: "", closedByServer: false, elapsed: .zero) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            return Result(response: "", closedByServer: true, elapsed: ContinuousClock.now - start)
        }
        var timeout = timeval(
            tv_sec: Int(readTimeout), tv_usec: Int(readTimeout.truncatingRemainder(dividingBy: 1) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noSigpipe: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &noSigpipe, socklen_t(MemoryLayout<Int32>.size))
        for (index, payload) in payloads.enumerated() {
            if index > 0, pause > .zero {
                Thread.sleep(
                    forTimeInterval: Double(pause.components.attoseconds) / 1e18 + Double(pause.components.seconds))
            }
            _ = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var closed = false
        while received.count < 1_000_000 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
                continue
            }
            closed = count == 0 || (count < 0 && errno == ECONNRESET)
            break
        }
        return Result(
            response: String(decoding: received, as: UTF8.self), closedByServer: closed,
            elapsed: ContinuousClock.now - start)
    }
}
