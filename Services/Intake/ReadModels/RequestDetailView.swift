import Foundation
import Postgres
import Storage

/// The full view of one request: its input, chain, findings, alerts and history.
enum RequestDetailView {
    /// The request as the API shows it, or nil when it is not visible to the tenant in scope.
    static func load(_ id: UUID, on connection: PostgresConnection) throws -> Components.Schemas.RequestDetail? {
        guard let request = try RequestStore.find(id, on: connection) else { return nil }
        return SchemaMapping.detail(
            request, steps: try RequestStore.steps(of: id, on: connection),
            alerts: try AlertStore.alerts(of: id, on: connection),
            events: try AuditLog.events(of: id, on: connection))
    }
}
