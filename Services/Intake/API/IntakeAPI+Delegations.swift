import Foundation
import Policy
import Postgres
import Storage

/// Delegation of an approval role, where the tenant's policy allows it.
extension IntakeAPI {
    func createDelegation(_ input: Operations.CreateDelegation.Input) async throws -> Operations.CreateDelegation.Output
    {
        let tenant = input.path.tenant
        let actor = try actingUser()
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "Send JSON.") }
        var check = Validator()
        check.key(body.role, "/role")
        check.email(body.delegateEmail, "/delegate_email")
        check.length(body.department, "/department", min: 1, max: 200)
        let from = check.date(body.from, "/from")
        let to = check.date(body.to, "/to")
        check.order(from, to, "/to", startName: "from")
        if EmailIdentity.lowercased(body.delegateEmail) == actor {
            check.fail("/delegate_email", "must differ from the delegator (\(actor))")
        }
        try check.finish()
        let key = try idempotencyKey(
            input.headers.idempotencyKey, tenant: tenant, method: "POST", path: "/v1/tenants/\(tenant)/delegations",
            body: body)
        let engines = self.engines
        let answer = try await pool.tenantTransaction(tenant) { connection in
            try Idempotency.run(key, on: connection) {
                guard let (_, engine) = try engines.active(tenantID: tenant, on: connection) else {
                    throw APIProblem.notFound("The tenant \"\(tenant)\"")
                }
                let delegate = EmailIdentity.lowercased(body.delegateEmail)
                try DelegationRules(policy: engine.policy).check(
                    role: body.role, delegator: actor, delegate: delegate, department: body.department)
                let record = try DelegationStore.insert(
                    tenantID: tenant, role: body.role, delegator: actor, delegate: delegate,
                    department: body.department, from: from!, to: to!, on: connection)
                try AuditLog.append(
                    AuditEvent(
                        tenantID: tenant, actor: actor, action: "delegated",
                        after: JSONText(encoding: SchemaMapping.delegation(record))), on: connection)
                let path = "/v1/tenants/\(tenant)/delegations/\(record.id.uuidString.lowercased())"
                return StoredAnswer(status: 201, location: location(path), body: SchemaMapping.delegation(record))
            }
        }
        return .created(.init(headers: .init(location: answer.location ?? ""), body: .json(answer.body)))
    }

    func listDelegations(_ input: Operations.ListDelegations.Input) async throws -> Operations.ListDelegations.Output {
        let tenant = input.path.tenant
        let query = input.query
        let limit = try PageCursor.limit(query.limit)
        let cursor = try PageCursor.parse(query.cursor)
        var check = Validator()
        check.email(query.delegator, "#delegator")
        check.email(query.delegate, "#delegate")
        let day = check.date(query.activeOn, "#active_on")
        try check.finish()
        let filter = DelegationListing.filter(query, tenant: tenant, day: day, cursor: cursor)
        let page = try await pool.tenantTransaction(tenant) { connection in
            try DelegationListing.page(filter: filter, limit: limit, on: connection)
        }
        return .ok(.init(body: .json(page)))
    }

    func deleteDelegation(_ input: Operations.DeleteDelegation.Input) async throws -> Operations.DeleteDelegation.Output
    {
        let tenant = input.path.tenant
        let id = try uuid(input.path.id, "The delegation")
        let actor = try actingUser()
        try await pool.tenantTransaction(tenant) { connection in
            guard let record = try DelegationStore.lock(id, on: connection) else {
                throw APIProblem.notFound("The delegation")
            }
            guard record.delegatorEmail == actor else {
                throw APIProblem(.forbidden, "Only the delegator (\(record.delegatorEmail)) may end this delegation.")
            }
            guard record.revokedAt == nil else { return }
            try DelegationStore.revoke(id, on: connection)
            try AuditLog.append(
                AuditEvent(
                    tenantID: tenant, actor: actor, action: "delegation_ended",
                    before: JSONText(encoding: SchemaMapping.delegation(record))), on: connection)
        }
        return .noContent(.init())
    }
}
