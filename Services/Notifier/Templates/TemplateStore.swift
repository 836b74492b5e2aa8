import Postgres
import Workflow

/// Tenants' own templates (table `notification_templates`), one per kind.
enum TemplateStore {
    /// The tenant's template for `kind`, or nil when it uses the built-in one.
    static func override(tenantID: String, kind: NotificationKind, on connection: PostgresConnection) throws
        -> MessageTemplate?
    {
        try connection.query(
            "SELECT subject, text_body, html_body FROM notification_templates WHERE tenant_id = $1 AND kind = $2",
            tenantID, kind.rawValue
        ).first.map { row in
            MessageTemplate(
                subject: try row.decode("subject"), text: try row.decode("text_body"), html: try row.decode("html_body")
            )
        }
    }

    /// Stores (or replaces) a tenant's template for `kind` after checking it.
    static func save(
        _ template: MessageTemplate, tenantID: String, kind: NotificationKind, on connection: PostgresConnection
    ) throws {
        try template.validateOverride()
        try connection.query(
            """
            INSERT INTO notification_templates (tenant_id, kind, subject, text_body, html_body) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant_id, kind) DO UPDATE
               SET subject = EXCLUDED.subject, text_body = EXCLUDED.text_body, html_body = EXCLUDED.html_body, updated_at = now()
            """, tenantID, kind.rawValue, template.subject, template.text, template.html)
    }
}
