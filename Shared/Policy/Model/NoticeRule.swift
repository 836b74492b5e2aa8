/// A notice period: how long before its effective date a withdrawal, termination or
/// imposed transition must be announced.
public struct NoticeRule: Codable, Sendable, Equatable {
    /// Which change the notice is for.
    public var action: NoticeAction
    /// Notice in business days (MA DOC withdrawal: 5).
    public var businessDays: Int?
    /// Notice in calendar days (Rutgers discontinuance: 14).
    public var calendarDays: Int?
    /// Applies only when this holds (univ-f400: the position is occupied).
    public var when: Condition?
    /// The clause.
    public var source: String?

    /// A notice period in one unit.
    public init(
        action: NoticeAction, businessDays: Int? = nil, calendarDays: Int? = nil,
        when: Condition? = nil, source: String? = nil
    ) {
        self.action = action
        self.businessDays = businessDays
        self.calendarDays = calendarDays
        self.when = when
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case action
        case businessDays = "business_days"
        case calendarDays = "calendar_days"
        case when, source
    }
}

/// The change a notice announces.
public enum NoticeAction: String, PolicyKeyword {
    /// The employee ends the arrangement.
    case withdrawal
    /// The employer ends (discontinues, terminates) the arrangement.
    case termination
    /// The employer imposes a change of schedule (univ-f400: an occupied position made part-time).
    case transition
}

/// What a requirement asks for.
public enum RequirementKind: String, PolicyKeyword {
    /// `attestations[key] == true`.
    case attestation
    /// `fields[key]` present and not blank.
    case field
}

/// How serious a missing item is.
public enum Severity: String, PolicyKeyword {
    /// Makes the request ineligible.
    case violation
    /// Shown to the approver.
    case warning
}

/// Whether a justification is required, and phrases that are not enough on their own.
public struct JustificationRule: Codable, Sendable, Equatable {
    /// A blank justification is a violation.
    public var required: Bool?
    /// Phrases that alone are not a justification (MA DOC: "personal reasons").
    public var insufficientAlone: [String]?
    /// The clause.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case required
        case insufficientAlone = "insufficient_alone"
        case source
    }
}
