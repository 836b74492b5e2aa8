/// A role of the tenant's directory and who holds it.
public struct RoleDefinition: Codable, Sendable, Equatable {
    /// Role key (`department_head`).
    public var key: String
    /// Display title.
    public var title: String?
    /// The holder is the supervisor named on the request (the `supervisor` role).
    public var fromRequest: Bool?
    /// Default holder's email.
    public var email: String?
    /// Webhook that receives alerts for this role.
    public var webhookUrl: String?
    /// Holder's email per department (overrides `email`).
    public var departments: [String: String]?
    /// Role escalated to when a step of this role passes its SLA.
    public var escalatesTo: String?

    /// A role.
    public init(
        key: String, title: String? = nil, fromRequest: Bool? = nil, email: String? = nil,
        webhookUrl: String? = nil, departments: [String: String]? = nil, escalatesTo: String? = nil
    ) {
        self.key = key
        self.title = title
        self.fromRequest = fromRequest
        self.email = email
        self.webhookUrl = webhookUrl
        self.departments = departments
        self.escalatesTo = escalatesTo
    }

    enum CodingKeys: String, CodingKey {
        case key, title
        case fromRequest = "from_request"
        case email
        case webhookUrl = "webhook_url"
        case departments
        case escalatesTo = "escalates_to"
    }
}

/// Default recipients (role keys) of one alert kind.
public struct AlertRoute: Codable, Sendable, Equatable {
    /// Alert kind (`out_of_home_region`, `international`, `complaint`…).
    public var kind: String
    /// Role keys to notify.
    public var recipients: [String]

    /// A route.
    public init(kind: String, recipients: [String]) {
        self.kind = kind
        self.recipients = recipients
    }
}
