import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Intake

/// Operator endpoints: tenant policies, versions, identity settings and API keys.
@Suite("Tenant administration over HTTP")
struct TenantAdminTests {
    @Test(
        "PUT creates a version (201, decoded Location), an identical PUT changes nothing (200), GET and versions read it"
    )
    func policyVersions() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let policy = try IntakeHarness.json(IntakeHarness.policy(tenant))
            let first = try await h.send(.put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken, json: policy)
            #expect(first.status == .created)
            #expect(first.headers[.location] == "/v1/tenants/\(tenant)")
            #expect(try first.object()["version"] as? Int == 1)
            let same = try await h.send(.put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken, json: policy)
            #expect(same.status == .ok)
            let changed = try IntakeHarness.json(IntakeHarness.policy(tenant) { $0.defaultSlaBusinessDays = 7 })
            #expect(
                try await h.send(.put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken, json: changed).status
                    == .created)
            let read = try await h.send(.get, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken)
            #expect(read.status == .ok)
            #expect(try read.object()["version"] as? Int == 2)
            #expect((try read.object()["policy"] as? [String: Any])?["default_sla_business_days"] as? Int == 7)
            let versions = try await h.send(
                .get, "/v1/tenants/\(tenant)/versions?limit=1", token: IntakeHarness.adminToken)
            let items = try versions.object()["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["version"] as? Int } == [2])
            let cursor = try #require(try versions.object()["next_cursor"] as? String)
            let older = try await h.send(
                .get, "/v1/tenants/\(tenant)/versions?limit=1&cursor=\(cursor)", token: IntakeHarness.adminToken)
            #expect((try older.object()["items"] as? [[String: Any]])?.first?["active"] as? Bool == false)
            #expect(try older.object()["next_cursor"] == nil)
        }
    }

    @Test("an invalid policy is 422 with a pointer per problem; another id than the path is 422 /id")
    func invalidPolicy() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let bad = try await h.send(
                .put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken,
                json:
                    #"{"id": "\#(tenant)", "name": "X", "time_zone": "America/New_York", "home": {"country": "US", "region": "MA"}, "roles": [], "chain": [{"id": "a", "role": "nobody"}], "arrangement_types": [], "surprise": 1}"#
            )
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problemType() == "validation")
            #expect(try bad.pointers().contains { $0.hasPrefix("/chain/0") })
            #expect(try bad.pointers().contains("/surprise"))
            let other = try await h.send(
                .put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken,
                json: try IntakeHarness.json(IntakeHarness.policy("someone-else")))
            #expect(other.status == .unprocessableContent)
            #expect(try other.pointers() == ["/id"])
            let rows = try await h.sql("SELECT count(*) AS n FROM tenants WHERE id = $1", [tenant])
            #expect(try rows[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test(
        "operator routes: no token 401 with WWW-Authenticate, a wrong token 401, a tenant key 403, unknown tenant 404")
    func operatorAuth() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let none = try await h.send(.get, "/v1/tenants/\(tenant)")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            #expect(try none.problemType() == "unauthorized")
            #expect(try await h.send(.get, "/v1/tenants/\(tenant)", token: "wrong-token").status == .unauthorized)
            let withKey = try await h.send(.get, "/v1/tenants/\(tenant)", token: key)
            #expect(withKey.status == .forbidden)
            let unknown = try await h.send(.get, "/v1/tenants/no-such-\(tenant)", token: IntakeHarness.adminToken)
            #expect(unknown.status == .notFound)
            #expect(try unknown.problemType() == "not-found")
        }
    }

    @Test("identity settings: bad keys are 422 per field; the HS256 secret is never echoed")
    func identity() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            _ = try await h.tenant(tenant)
            let bad = try await h.send(
                .put, "/v1/tenants/\(tenant)/identity", token: IntakeHarness.adminToken,
                json:
                    #"{"issuer": "", "audience": "flexwork", "hs256_secret": "short", "public_keys_pem": ["not a key"]}"#
            )
            #expect(bad.status == .unprocessableContent)
            #expect(Set(try bad.pointers()) == ["/issuer", "/hs256_secret", "/public_keys_pem/0"])
            let good = try await h.send(
                .put, "/v1/tenants/\(tenant)/identity", token: IntakeHarness.adminToken,
                json:
                    #"{"issuer": "https://idp", "audience": "flexwork", "hs256_secret": "\#(IntakeHarness.jwtSecret)"}"#
            )
            #expect(good.status == .ok)
            #expect(!good.text.contains(IntakeHarness.jwtSecret))
            #expect(try good.object()["hs256"] as? Bool == true)
        }
    }

    @Test(
        "API keys: the secret is shown once and stored as SHA-256; listed without it; revoked keys get 401; names are unique"
    )
    func apiKeys() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            _ = try await h.tenant(tenant)
            let created = try await h.send(
                .post, "/v1/tenants/\(tenant)/api-keys", token: IntakeHarness.adminToken,
                json: #"{"name": "portal", "scopes": ["requests:read"]}"#, headers: ["Idempotency-Key": "k1"])
            #expect(created.status == .created)
            let secret = try #require(try created.object()["secret"] as? String)
            let id = try #require(try created.object()["id"] as? String)
            #expect(secret.hasPrefix("fwa_"))
            #expect(created.headers[.location] == "/v1/tenants/\(tenant)/api-keys/\(id)")
            let stored = try await h.sql("SELECT secret_hash FROM api_keys WHERE id = $1::uuid", [id])
            #expect(try stored[0].decode("secret_hash", as: String.self) == APIKeySecret.hash(secret))
            let secretRows = try await h.sql(
                "SELECT count(*) AS n FROM idempotency_keys WHERE convert_from(body, 'UTF8') LIKE '%' || $1 || '%'",
                [secret])
            #expect(try secretRows[0].decode("n", as: Int.self) == 0)
            let replay = try await h.send(
                .post, "/v1/tenants/\(tenant)/api-keys", token: IntakeHarness.adminToken,
                json: #"{"name": "portal", "scopes": ["requests:read"]}"#, headers: ["Idempotency-Key": "k1"])
            #expect(replay.status == .conflict)
            let duplicate = try await h.send(
                .post, "/v1/tenants/\(tenant)/api-keys", token: IntakeHarness.adminToken,
                json: #"{"name": "portal", "scopes": ["requests:read"]}"#)
            #expect(duplicate.status == .conflict)
            let badScope = try await h.send(
                .post, "/v1/tenants/\(tenant)/api-keys", token: IntakeHarness.adminToken,
                json: #"{"name": "x", "scopes": ["root"]}"#)
            #expect(badScope.status == .badRequest)
            #expect(try badScope.pointers() == ["/scopes/0"])
            let list = try await h.send(.get, "/v1/tenants/\(tenant)/api-keys", token: IntakeHarness.adminToken)
            #expect(!list.text.contains("fwa_"))
            #expect((try list.object()["items"] as? [Any])?.count == 2)
            #expect(try await h.send(.get, "/v1/tenants/\(tenant)/requests", token: secret).status == .ok)
            #expect(
                try await h.send(.delete, "/v1/tenants/\(tenant)/api-keys/\(id)", token: IntakeHarness.adminToken)
                    .status == .noContent)
            #expect(
                try await h.send(.delete, "/v1/tenants/\(tenant)/api-keys/\(id)", token: IntakeHarness.adminToken)
                    .status == .noContent)
            #expect(try await h.send(.get, "/v1/tenants/\(tenant)/requests", token: secret).status == .unauthorized)
            let events = try await h.sql(
                "SELECT action FROM events WHERE tenant_id = $1 AND action LIKE 'api_key%' ORDER BY id", [tenant])
            #expect(
                try events.map { try $0.decode("action", as: String.self) }.suffix(2) == [
                    "api_key_created", "api_key_revoked",
                ])
        }
    }
}
