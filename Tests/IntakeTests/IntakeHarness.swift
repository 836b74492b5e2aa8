import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import Policy
import Postgres
import TestSupport
import Testing

@testable import Intake

/// Starts the intake over real HTTP (HummingbirdTesting `.live`) on a real PostgreSQL, logged in
/// as `TestDatabase.intakeLogin` (a member of `fwa_intake`), and gives each test its own tenant (a copy of deploy/tenants/mit.yaml under a unique id).
struct IntakeHarness {
    static let adminToken = "test-operator-token-0123456789"
    static let actionSecret = "test-action-link-secret-0123456789abcdef"
    static let jwtSecret = "test-hs256-secret-for-acting-users-0123456789"
    static let issuer = "https://idp.example.edu"
    static let audience = "flexwork-tests"

    let client: any TestClientProtocol
    let pool: PostgresPool

    /// Runs `body` against a live intake.
    static func run(
        maxBodyBytes: Int = 256 * 1024, configure: (inout IntakeConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (IntakeHarness) async throws -> Void
    ) async throws {
        let pool = try await TestDatabase.pool(maxConnections: 4)
        // The intake runs as its least-privilege login, as deployed: every API test also proves
        // that the grants of migration 0006 suffice.
        var configuration = IntakeConfiguration(
            conninfo: TestDatabase.conninfo(user: TestDatabase.intakeLogin), host: "127.0.0.1", port: 0, poolSize: 4,
            logLevel: .warning, migrate: false,
            adminToken: adminToken, publicURL: "", maxBodyBytes: maxBodyBytes, actionLinkSecret: actionSecret,
            prunesIdempotencyKeys: false)
        // The suites run in parallel from one address: no per-client limits unless a test sets them.
        configuration.rateLimitPerClient = .off
        configuration.rateLimitPerKey = .off
        configuration.maxConnectionsPerClient = 0
        configure(&configuration)
        let app = try await buildApplication(configuration)
        try await app.test(.live) { client in
            try await body(IntakeHarness(client: client, pool: pool))
        }
        await pool.shutdown()
    }

    // MARK: HTTP

    /// Sends a request; `json` is sent as the body with `Content-Type: application/json`.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        headers[.accept] = "application/json"
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        return try await client.execute(
            uri: path, method: method, headers: headers,
            body: json.map { ByteBuffer(string: $0) })
    }

    // MARK: Tenants, keys and people

    static func uniqueTenant() -> String { "t" + String(UInt32.random(in: 0...UInt32.max), radix: 16) + "-x" }

    /// The mit policy under another id, optionally changed.
    static func policy(_ tenant: String, base: String = "mit", change: (inout TenantPolicy) -> Void = { _ in }) throws
        -> TenantPolicy
    {
        let url = TestFiles.repositoryRoot.appendingPathComponent("deploy/tenants/\(base).yaml")
        var policy = try TenantFile.load(contentsOf: url).get()
        policy.id = tenant
        // The seed's webhook host (hooks.example.edu) does not resolve here, and the intake refuses
        // a webhook it cannot check (WebhookPolicyTests); these tests post no webhooks.
        for index in policy.roles.indices { policy.roles[index].webhookUrl = nil }
        change(&policy)
        return policy
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// Creates a tenant with an HS256 identity provider and an API key with `scopes`; returns the key.
    func tenant(
        _ tenant: String,
        scopes: [String] = [
            "requests:write", "requests:read", "decisions:write", "alerts:read", "alerts:write", "delegations:write",
        ],
        change: (inout TenantPolicy) -> Void = { _ in }
    ) async throws -> String {
        let put = try await send(
            .put, "/v1/tenants/\(tenant)", token: Self.adminToken, json: Self.json(Self.policy(tenant, change: change)))
        #expect(put.status == .created)
        let identity = try await send(
            .put, "/v1/tenants/\(tenant)/identity", token: Self.adminToken,
            json:
                #"{"issuer": "\#(Self.issuer)", "audience": "\#(Self.audience)", "hs256_secret": "\#(Self.jwtSecret)"}"#
        )
        #expect(identity.status == .ok)
        return try await key(tenant, scopes: scopes)
    }

    func key(_ tenant: String, scopes: [String], name: String = "key-\(UInt32.random(in: 0...UInt32.max))") async throws
        -> String
    {
        let scopeList = scopes.map { "\"\($0)\"" }.joined(separator: ",")
        let created = try await send(
            .post, "/v1/tenants/\(tenant)/api-keys", token: Self.adminToken,
            json: #"{"name": "\#(name)", "scopes": [\#(scopeList)]}"#)
        #expect(created.status == .created)
        return try created.object()["secret"] as! String
    }

    /// An acting-user token for `email`, signed with the tenant's HS256 secret, issued now for the
    /// tenants' audience.
    static func user(
        _ email: String, secret: String = jwtSecret, issuer: String = issuer, expiresIn: TimeInterval = 600
    ) async throws -> String {
        try await token(TokenClaims(sub: email, iss: issuer, expiresIn: expiresIn), secret: secret)
    }

    /// Any claims, signed with an HS256 secret (the tenants' by default).
    static func token(_ claims: TokenClaims, secret: String = jwtSecret) async throws -> String {
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    /// A valid hybrid submission starting a month from now.
    static func submission(
        employee: String = "ana@example.edu", supervisor: String = "bo@example.edu",
        department: String = "chemistry", start: Int = 30, extra: String = ""
    ) -> String {
        let date = BusinessCalendar.localDate(
            at: Date().addingTimeInterval(Double(start) * 86_400), timeZone: "America/New_York")
        return """
            {"employee": {"email": "\(employee)", "name": "Ana Lima", "department": "\(department)", "employee_class": "administrative",
             "exempt": true}, "supervisor_email": "\(supervisor)", "arrangement_type": "hybrid", "remote_days_per_week": 2,
             "location": {"country": "US", "region": "MA"}, "start_date": "\(date)", "justification": "Lab work Mon-Wed.",
             "attestations": {"no_regular_dependent_care": true, "free_from_distractions": true}\(extra)}
            """
    }

    /// Submits and returns the request id.
    func submit(_ tenant: String, key: String, _ body: String = IntakeHarness.submission()) async throws -> String {
        let response = try await send(.post, "/v1/tenants/\(tenant)/requests", token: key, json: body)
        #expect(response.status == .accepted, "\(response.text)")
        return try response.object()["id"] as! String
    }

    /// Runs SQL as the test database's superuser (what another service would do).
    func sql(_ text: String, _ parameters: [any PostgresEncodable] = []) async throws -> [PostgresRow] {
        try await pool.withConnection { try $0.query(text, parameters).rows }
    }

    /// Plays the approval-router: opens step `index`.
    func openStep(_ request: String, _ index: Int) async throws {
        _ = try await sql(
            "UPDATE request_steps SET status = 'open', opened_at = now() WHERE request_id = $1::uuid AND idx = $2",
            [request, index])
    }
}

/// The claims a test puts in an acting-user token: every one settable, any one omissible (the
/// service's own claims type is not used, so that tests can send what it would never make).
struct TokenClaims: JWTPayload {
    var sub: SubjectClaim
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var iat: IssuedAtClaim?
    var nbf: NotBeforeClaim?
    var exp: ExpirationClaim

    /// Issued `issuedAgo` seconds ago (nil: no `iat`), expiring `expiresIn` seconds from now.
    init(
        sub: String, iss: String? = IntakeHarness.issuer, aud: String? = IntakeHarness.audience,
        issuedAgo: TimeInterval? = 0, notBefore: TimeInterval? = nil, expiresIn: TimeInterval = 600
    ) {
        let now = Date()
        self.sub = .init(value: sub)
        self.iss = iss.map { .init(value: $0) }
        self.aud = aud.map { .init(value: [$0]) }
        self.iat = issuedAgo.map { .init(value: now.addingTimeInterval(-$0)) }
        self.nbf = notBefore.map { .init(value: now.addingTimeInterval($0)) }
        self.exp = .init(value: now.addingTimeInterval(expiresIn))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func object() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
    }

    /// The problem document's `type` suffix (`validation`, `not-found`…).
    func problemType() throws -> String {
        #expect(headers[.contentType] == "application/problem+json", "\(text)")
        return (try object()["type"] as? String)?.replacingOccurrences(of: "https://flexwork.dev/problems/", with: "")
            ?? ""
    }

    func pointers() throws -> [String] {
        (try object()["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
    }
}

/// Finds the repository root from this file's path.
enum TestFiles {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("deploy/tenants").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath)
    }()
}
