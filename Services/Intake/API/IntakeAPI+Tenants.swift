import Egress
import Foundation
import OpenAPIRuntime
import Policy
import Postgres
import Storage

/// Tenant administration (platform operator): policies and their versions.
extension IntakeAPI {
    func putTenant(_ input: Operations.PutTenant.Input) async throws -> Operations.PutTenant.Output {
        let tenant = input.path.tenant
        guard case .json(let document) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        let policy = try Self.parsePolicy(document, tenant: tenant)
        try await Self.checkWebhooks(policy, rules: configuration.webhookRules)
        let key = try idempotencyKey(
            input.headers.idempotencyKey, tenant: tenant, method: "PUT", path: "/v1/tenants/\(tenant)", body: document)
        let answer = try await pool.operatorTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                let (record, created) = try TenantStore.apply(policy, source: "api", actor: "operator", on: connection)
                return StoredAnswer(
                    status: created ? 201 : 200, location: created ? location("/v1/tenants/\(tenant)") : nil,
                    body: Self.version(record))
            }
        }
        if answer.status == 201 {
            return .created(
                .init(headers: .init(location: answer.location ?? "/v1/tenants/\(tenant)"), body: .json(answer.body)))
        }
        return .ok(.init(body: .json(answer.body)))
    }

    func getTenant(_ input: Operations.GetTenant.Input) async throws -> Operations.GetTenant.Output {
        let tenant = input.path.tenant
        let found = try await pool.operatorTransaction(tenant) { try TenantStore.active(tenantID: tenant, on: $0) }
        guard let (policy, record) = found else { throw APIProblem.notFound("The tenant \"\(tenant)\"") }
        let json = try TenantStore.canonical(policy).json
        let container = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(json.text.utf8))
        return .ok(
            .init(
                body: .json(
                    .init(
                        tenant: tenant, version: Int32(record.version), sha256: record.sha256,
                        createdAt: record.createdAt,
                        policy: .init(additionalProperties: container)))))
    }

    func listTenantVersions(_ input: Operations.ListTenantVersions.Input) async throws
        -> Operations.ListTenantVersions.Output
    {
        let tenant = input.path.tenant
        let limit = try PageCursor.limit(input.query.limit)
        let before: Int? = try input.query.cursor.map { cursor throws(APIProblem) in
            guard let version = Int(cursor), version > 0 else {
                throw APIProblem(
                    .malformedRequest, "The cursor is not valid.",
                    errors: [.init(pointer: "#cursor", message: "is not a cursor this API issued")])
            }
            return version
        }
        let versions = try await pool.operatorTransaction(tenant) { try TenantStore.versions(tenantID: tenant, on: $0) }
        guard !versions.isEmpty else { throw APIProblem.notFound("The tenant \"\(tenant)\"") }
        let remaining = versions.filter { before == nil || $0.version < before! }
        let page = Array(remaining.prefix(limit))
        let next = remaining.count > limit ? page.last.map { String($0.version) } : nil
        return .ok(.init(body: .json(.init(items: page.map(Self.version), nextCursor: next))))
    }

    /// Validates the JSON form of a tenant file; every problem becomes a field error.
    static func parsePolicy(_ document: Components.Schemas.TenantPolicy, tenant: String) throws -> TenantPolicy {
        let valid =
            tenant.count <= 63 && tenant.first.map { $0.isLowercase && $0.isASCII } == true
            && tenant.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard valid else {
            throw APIProblem.validation([.init(pointer: "#tenant", message: "must match ^[a-z][a-z0-9-]{0,62}$")])
        }
        let data = try JSONEncoder().encode(document)
        switch TenantFile.parse(json: data, fileName: "\(tenant).json") {
        case .failure(let problems):
            throw APIProblem.validation(problems.problems.map { .init(pointer: $0.path, message: $0.message) })
        case .success(let policy):
            guard policy.id == tenant else {
                throw APIProblem.validation([
                    .init(
                        pointer: "/id",
                        message: "must equal the tenant in the path, \"\(tenant)\", got \"\(policy.id)\"")
                ])
            }
            return policy
        }
    }

    /// Refuses a policy whose webhooks the notifier would refuse to post to (`422`, one error per
    /// role's `webhook_url`): resolved before the transaction, so no lookup holds a lock.
    static func checkWebhooks(_ policy: TenantPolicy, rules: WebhookRules) async throws(APIProblem) {
        let problems = await TenantWebhooks.problems(in: policy, rules: rules)
        guard problems.isEmpty else {
            throw APIProblem.validation(problems.map { .init(pointer: $0.pointer, message: $0.message) })
        }
    }

    static func version(_ record: TenantVersionRecord) -> Components.Schemas.TenantVersion {
        .init(
            tenant: record.tenantID, version: Int32(record.version), sha256: record.sha256, createdAt: record.createdAt,
            active: record.active)
    }
}
