import Foundation
import HTTPTypes
import HummingbirdTesting
import Policy
import Testing

@testable import Intake

/// Acting-user tokens (issue #14, item 7): the time claims, the tenant's lifetime bound, the
/// audience, and identities compared after ASCII lowercasing only.
@Suite("Acting-user tokens")
struct ActingUserTokenTests {
    /// A token and whether it may act; `refusal` is a fragment of the `401` detail.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var claims: @Sendable () -> TokenClaims
        var refusal: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ok token", claims: { TokenClaims(sub: "kim@example.edu") }, refusal: nil),
        Case(name: "ASCII capitals are the same person", claims: { TokenClaims(sub: "KIM@Example.EDU") }, refusal: nil),
        Case(
            name: "nbf within the 60 s leeway", claims: { TokenClaims(sub: "kim@example.edu", notBefore: 30) },
            refusal: nil),
        Case(
            name: "expired window", claims: { TokenClaims(sub: "kim@example.edu", issuedAgo: 7200, expiresIn: -3600) },
            refusal: "has expired"),
        Case(
            name: "nbf in the future", claims: { TokenClaims(sub: "kim@example.edu", notBefore: 600) },
            refusal: "not valid yet"),
        Case(
            name: "iat in the future",
            claims: { TokenClaims(sub: "kim@example.edu", issuedAgo: -600, expiresIn: 1200) },
            refusal: "issued in the future"),
        Case(
            name: "iat missing", claims: { TokenClaims(sub: "kim@example.edu", issuedAgo: nil) },
            refusal: "no issue time"),
        Case(
            name: "lifetime too long (2 h, tenant allows 1 h)",
            claims: { TokenClaims(sub: "kim@example.edu", expiresIn: 7200) }, refusal: "lives longer"),
        Case(name: "aud missing", claims: { TokenClaims(sub: "kim@example.edu", aud: nil) }, refusal: "no audience"),
        Case(
            name: "wrong aud", claims: { TokenClaims(sub: "kim@example.edu", aud: "another-app") },
            refusal: "not meant for audience"),
        Case(
            name: "Kelvin sign (U+212A) is not k", claims: { TokenClaims(sub: "\u{212A}im@example.edu") },
            refusal: "non-ASCII"),
    ]

    @Test("a token acts only when its times, lifetime, audience and ASCII subject hold", arguments: cases)
    func claims(_ row: Case) async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let id = try await h.submit(tenant, key: key, IntakeHarness.submission(employee: "kim@example.edu"))
            let token = try await IntakeHarness.token(row.claims())
            let answer = try await Self.withdraw(h, tenant: tenant, id: id, key: key, token: token)
            let status =
                try await h.send(.get, "/v1/tenants/\(tenant)/requests/\(id)", token: key).object()["status"] as? String
            if let refusal = row.refusal {
                #expect(answer.status == .unauthorized, "\(answer.text)")
                let detail = try answer.object()["detail"] as? String ?? ""
                #expect(detail.contains(refusal), "\(answer.text)")
                #expect(status == "submitted")
            } else {
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(status == "withdrawn")
            }
        }
    }

    @Test("the lifetime bound is the tenant's: 2 h tokens pass when it allows 2 h; out-of-range settings are 422")
    func lifetimePerTenant() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let path = "/v1/tenants/\(tenant)/identity"
            let tooLong = try await h.send(
                .put, path, token: IntakeHarness.adminToken, json: Self.identity(lifetime: 90_000))
            #expect(tooLong.status == .unprocessableContent)
            #expect(try tooLong.pointers() == ["/max_token_lifetime_seconds"])
            let set = try await h.send(.put, path, token: IntakeHarness.adminToken, json: Self.identity(lifetime: 7200))
            #expect(set.status == .ok, "\(set.text)")
            #expect(try set.object()["max_token_lifetime_seconds"] as? Int == 7200)
            let id = try await h.submit(tenant, key: key, IntakeHarness.submission(employee: "kim@example.edu"))
            let token = try await IntakeHarness.token(TokenClaims(sub: "kim@example.edu", expiresIn: 7100))
            #expect(try await Self.withdraw(h, tenant: tenant, id: id, key: key, token: token).status == .ok)
        }
    }

    @Test("identity settings must name an audience; without one they are refused and the old ones stay")
    func audienceRequired() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let refused = try await h.send(
                .put, "/v1/tenants/\(tenant)/identity", token: IntakeHarness.adminToken,
                json: #"{"issuer": "https://other.example", "hs256_secret": "\#(IntakeHarness.jwtSecret)"}"#)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.text.contains("audience"))
            let id = try await h.submit(tenant, key: key, IntakeHarness.submission(employee: "kim@example.edu"))
            let token = try await IntakeHarness.user("kim@example.edu")
            #expect(try await Self.withdraw(h, tenant: tenant, id: id, key: key, token: token).status == .ok)
        }
    }

    static func withdraw(_ h: IntakeHarness, tenant: String, id: String, key: String, token: String) async throws
        -> TestResponse
    {
        let today = BusinessCalendar.localDate(at: Date(), timeZone: "America/New_York")
        return try await h.send(
            .post, "/v1/tenants/\(tenant)/requests/\(id)/withdraw", token: key,
            json: #"{"effective_date": "\#(today)", "reason": "Plans changed."}"#, headers: ["X-Acting-User": token])
    }

    static func identity(lifetime: Int) -> String {
        #"{"issuer": "\#(IntakeHarness.issuer)", "audience": "\#(IntakeHarness.audience)", "hs256_secret": "\#(IntakeHarness.jwtSecret)", "max_token_lifetime_seconds": \#(lifetime)}"#
    }
}
