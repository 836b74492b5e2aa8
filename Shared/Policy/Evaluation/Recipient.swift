/// Someone to tell (of a finding, a step to decide, a decision): a role of the tenant's directory,
/// an address, a webhook, or several of them. A finding's recipients always name their role.
public struct Recipient: Codable, Sendable, Equatable, Hashable {
    /// Role key (`payroll`).
    public var role: String?
    /// Email of its holder.
    public var email: String?
    /// Webhook of the role.
    public var webhookURL: String?

    /// A recipient.
    public init(role: String? = nil, email: String? = nil, webhookURL: String? = nil) {
        self.role = role
        self.email = email
        self.webhookURL = webhookURL
    }

    enum CodingKeys: String, CodingKey {
        case role, email
        case webhookURL = "webhook_url"
    }
}
