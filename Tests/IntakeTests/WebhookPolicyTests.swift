import Foundation
import Policy
import Testing

@testable import Intake

/// Issue 14, item 10, at apply time: `PUT /v1/tenants/{tenant}` refuses a policy whose webhook
/// is plain http or reaches an internal address (after resolving its host), with `422` naming
/// the role's `webhook_url`; nothing is stored. The harness's intake has production's rules.
@Suite("Tenant webhooks checked when a policy is applied")
struct WebhookPolicyTests {
    static let refused: [(url: String, rule: String)] = [
        ("http://hooks.example.edu/payroll", "plain http is refused"),
        ("https://127.0.0.1/hook", "loopback (127.0.0.0/8)"),
        ("https://169.254.169.254/latest/meta-data/", "cloud metadata service"),
        ("https://10.0.0.1/hook", "private (RFC 1918, 10.0.0.0/8)"),
        ("https://[::1]/hook", "loopback (::1)"),
        ("https://localhost/hook", "localhost resolves to"),
    ]

    @Test(
        "http, loopback, metadata, private, IPv6 loopback, a name on loopback: 422 naming the role's webhook_url",
        arguments: refused)
    func refusedAtApply(url: String, rule: String) async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let policy = try IntakeHarness.policy(tenant) { policy in
                let payroll = policy.roles.firstIndex { $0.key == "payroll" }!
                policy.roles[payroll].webhookUrl = url
            }
            let index = try #require(policy.roles.firstIndex { $0.key == "payroll" })
            let put = try await h.send(
                .put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken, json: IntakeHarness.json(policy))
            #expect(put.status == .unprocessableContent, "\(url): \(put.status) \(put.text.prefix(300))")
            let errors = try put.object()["errors"] as? [[String: Any]] ?? []
            let error = try #require(errors.first, "\(put.text)")
            #expect(error["pointer"] as? String == "/roles/\(index)/webhook_url")
            #expect(
                (error["message"] as? String)?.hasPrefix("role payroll: ") == true
                    && (error["message"] as? String)?.contains(rule) == true,
                "\(error)")
            #expect(
                try await h.send(.get, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken).status == .notFound,
                "nothing stored")
        }
    }

    @Test(
        "a host that does not resolve where the policy is applied is accepted (the notifier checks it at every send); the shipped MIT file applies as it is"
    )
    func unresolvedAccepted() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let url = TestFiles.repositoryRoot.appendingPathComponent("deploy/tenants/mit.yaml")
            var policy = try TenantFile.load(contentsOf: url).get()
            policy.id = tenant
            #expect(policy.roles.contains { $0.webhookUrl == "https://hooks.example.edu/mit/payroll" })
            let put = try await h.send(
                .put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken, json: IntakeHarness.json(policy))
            #expect(put.status == .created, "\(put.text.prefix(300))")
        }
    }

    @Test("an https webhook on a public address is applied")
    func publicAccepted() async throws {
        try await IntakeHarness.run { h in
            let tenant = IntakeHarness.uniqueTenant()
            let policy = try IntakeHarness.policy(tenant) { policy in
                let payroll = policy.roles.firstIndex { $0.key == "payroll" }!
                policy.roles[payroll].webhookUrl = "https://9.9.9.9/flexwork/payroll"
            }
            let put = try await h.send(
                .put, "/v1/tenants/\(tenant)", token: IntakeHarness.adminToken, json: IntakeHarness.json(policy))
            #expect(put.status == .created, "\(put.text.prefix(300))")
        }
    }
}
