/// Someone told about a finding.
public struct Recipient: Codable, Sendable, Equatable {
    /// Role key (`payroll`).
    public var role: String
    /// Email of its holder.
    public var email: String?
    /// Webhook of the role.
    public var webhookURL: String?

    /// A recipient.
    public init(role: String, email: String?, webhookURL: String?) {
        self.role = role
        self.email = email
        self.webhookURL = webhookURL
    }

    enum CodingKeys: String, CodingKey {
        case role, email
        case webhookURL = "webhook_url"
    }
}
