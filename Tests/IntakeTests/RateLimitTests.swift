import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Intake

/// Rate limits (issue #14, item 9): per client address before authentication, per API key
/// after it; `429 rate-limited` problems with `Retry-After`.
@Suite("Rate limits over HTTP")
struct RateLimitTests {
    @Test("per client: past the burst, even requests without a credential get 429 with Retry-After; health stays open")
    func perClient() async throws {
        try await IntakeHarness.run(configure: { $0.rateLimitPerClient = .init(perSecond: 1, burst: 5) }) { h in
            let path = "/v1/tenants/\(IntakeHarness.uniqueTenant())/requests"
            let (passed, limited) = try await Self.sendUntilLimited(h, path: path, token: "fwa_not-a-key")
            #expect(passed >= 5)
            try Self.expectRateLimited(limited)
            #expect(try await h.send(.get, "/healthz").status == .ok)
        }
    }

    @Test("per key: past the key's burst its requests get 429 with Retry-After; another key is still served")
    func perKey() async throws {
        try await IntakeHarness.run(configure: { $0.rateLimitPerKey = .init(perSecond: 1, burst: 3) }) { h in
            let tenant = IntakeHarness.uniqueTenant()
            let key = try await h.tenant(tenant)
            let other = try await h.key(tenant, scopes: ["requests:read"])
            let path = "/v1/tenants/\(tenant)/requests"
            let (passed, limited) = try await Self.sendUntilLimited(h, path: path, token: key)
            #expect(passed >= 3)
            try Self.expectRateLimited(limited)
            #expect(try await h.send(.get, path, token: other).status == .ok)
        }
    }

    /// Sends GETs until one is `429` (at most 50); returns how many were answered otherwise, and the 429.
    static func sendUntilLimited(_ h: IntakeHarness, path: String, token: String) async throws -> (Int, TestResponse?) {
        for sent in 0..<50 {
            let response = try await h.send(.get, path, token: token)
            if response.status == .tooManyRequests { return (sent, response) }
        }
        return (50, nil)
    }

    static func expectRateLimited(_ response: TestResponse?) throws {
        guard let response else {
            Issue.record("50 requests in a row were served; no 429")
            return
        }
        #expect(try response.problemType() == "rate-limited")
        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
        #expect(try response.object()["status"] as? Int == 429)
    }
}
