import Foundation
import Testing

@testable import Policy

@Suite("The five tenant files")
struct TenantFilesLoadTests {
    @Test("loads without problems", arguments: TenantFixtures.tenantIds)
    func loads(tenant: String) throws {
        let result = TenantFile.load(contentsOf: TenantFixtures.fileURL(tenant))
        if case .failure(let problems) = result { Issue.record("\(problems)") }
        let policy = try result.get()
        #expect(policy.id == tenant)
    }

    @Test("JSON round trip gives an equal policy", arguments: TenantFixtures.tenantIds)
    func jsonRoundTrip(tenant: String) throws {
        let policy = try TenantFixtures.policy(tenant)
        let data = try JSONEncoder().encode(policy)
        #expect(try JSONDecoder().decode(TenantPolicy.self, from: data) == policy)
        #expect(try TenantFile.parse(json: data, fileName: "\(tenant).json").get() == policy)
    }
}
