/// What a condition looks at. Written as a dotted name in tenant files:
/// `employee.<attribute>`, `request.<attribute>`, `notice.<attribute>`,
/// `attestations.<key>` or `fields.<key>`. Unknown names are load errors.
public enum ConditionField: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An attribute of the employee.
    case employee(EmployeeAttribute)
    /// An attribute of the request (some derived: duration, outside home region…).
    case request(RequestAttribute)
    /// An attribute of a notice being checked (withdrawal, termination, transition).
    case notice(NoticeAttribute)
    /// An attestation the employee made (`attestations.no_dependent_care`).
    case attestation(String)
    /// An extra field of the request (`fields.meal_break_minutes`).
    case field(String)

    /// Parses a dotted name; `nil` when unknown.
    public init?(parsing text: String) {
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let head = text[..<dot]
        let tail = String(text[text.index(after: dot)...])
        switch head {
        case "employee":
            guard let value = EmployeeAttribute(rawValue: tail) else { return nil }
            self = .employee(value)
        case "request":
            guard let value = RequestAttribute(rawValue: tail) else { return nil }
            self = .request(value)
        case "notice":
            guard let value = NoticeAttribute(rawValue: tail) else { return nil }
            self = .notice(value)
        case "attestations":
            guard ConditionField.isKey(tail) else { return nil }
            self = .attestation(tail)
        case "fields":
            guard ConditionField.isKey(tail) else { return nil }
            self = .field(tail)
        default: return nil
        }
    }

    /// The dotted name.
    public var description: String {
        switch self {
        case .employee(let value): return "employee." + value.rawValue
        case .request(let value): return "request." + value.rawValue
        case .notice(let value): return "notice." + value.rawValue
        case .attestation(let key): return "attestations." + key
        case .field(let key): return "fields." + key
        }
    }

    /// Every fixed name, for error messages.
    public static var knownNames: String {
        (EmployeeAttribute.allCases.map { "employee." + $0.rawValue }
            + RequestAttribute.allCases.map { "request." + $0.rawValue }
            + NoticeAttribute.allCases.map { "notice." + $0.rawValue }
            + ["attestations.<key>", "fields.<key>"]).joined(separator: ", ")
    }

    /// Decodes a dotted name or fails with the list of known names.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let field = ConditionField(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown condition field \"\(text)\"; expected one of \(ConditionField.knownNames)")
        }
        self = field
    }

    /// Encodes the dotted name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func isKey(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95
            }
    }
}

/// Employee attributes a condition may test.
public enum EmployeeAttribute: String, Sendable, CaseIterable, Hashable {
    case employeeClass = "class"
    case exempt, department
    case bargainingUnit = "bargaining_unit"
    case jobTitle = "job_title"
    case monthsEmployed = "months_employed"
    case lastRating = "last_rating"
    case monthsSinceLastRating = "months_since_last_rating"
    case pendingPerformanceAction = "pending_performance_action"
    case monthsSinceLastDiscipline = "months_since_last_discipline"
    case coveredByCollectiveAgreement = "covered_by_collective_agreement"
    case positionOccupied = "position_occupied"
    case participatesInHealthPlan = "participates_in_health_plan"
    case standardWeeklyHours = "standard_weekly_hours"
    case twentyFourHourShift = "twenty_four_hour_shift"
}

/// Request attributes a condition may test; several are derived by the engine.
public enum RequestAttribute: String, Sendable, CaseIterable, Hashable {
    case arrangementType = "arrangement_type"
    case remoteDaysPerWeek = "remote_days_per_week"
    /// Calendar days from start through end; unbounded when there is no end date.
    case durationDays = "duration_days"
    /// Whole months from start through end; unbounded when there is no end date.
    case durationMonths = "duration_months"
    case isEmergency = "is_emergency"
    /// The work location is not the home region (another state or another country).
    case outsideHomeRegion = "outside_home_region"
    /// The work location is in another country.
    case outsideHomeCountry = "outside_home_country"
    case locationCountry = "location.country"
    case locationRegion = "location.region"
    /// `US-CT`: country and region joined by a hyphen.
    case locationJurisdiction = "location.jurisdiction"
    /// Business days from submission to start (submission day excluded).
    case noticeBusinessDays = "notice_business_days"
    /// Calendar days from submission to start.
    case noticeCalendarDays = "notice_calendar_days"
    /// The other arrangement types this one would be combined with.
    case combinedWith = "combined_with"
    /// `fields.hours_per_week` divided by the employee's (or tenant's) full-time hours.
    case fteFraction = "fte_fraction"
}

/// Attributes of a notice (withdrawal, termination, transition) a condition may test.
public enum NoticeAttribute: String, Sendable, CaseIterable, Hashable {
    /// `withdrawal`, `termination` or `transition`.
    case action
    /// The change was agreed by both employee and employer.
    case mutuallyAgreed = "mutually_agreed"
}
