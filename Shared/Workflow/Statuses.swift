/// Where a request is in its life. Stored in `requests.status`; decoded strictly (an unknown
/// value is an error, never a default).
public enum RequestStatus: String, Codable, Sendable, CaseIterable {
    case submitted
    case routing
    case pendingApproval = "pending_approval"
    case approved
    case active
    case denied
    case withdrawn
    case terminated
    case expired
    case rejected

    /// The approval chain is still running.
    public static let inApproval: Set<RequestStatus> = [.submitted, .routing, .pendingApproval]
    /// The arrangement is granted (approved, or approved and started).
    public static let granted: Set<RequestStatus> = [.approved, .active]
    /// The request can no longer change.
    public static let closed: Set<RequestStatus> = [.denied, .withdrawn, .terminated, .expired, .rejected]

    public var isClosed: Bool { Self.closed.contains(self) }
    public var isInApproval: Bool { Self.inApproval.contains(self) }
    public var isGranted: Bool { Self.granted.contains(self) }
}

/// Where one step of a chain is. Stored in `request_steps.status`.
public enum StepStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case open
    case approved
    case denied
    case skipped
    case cancelled

    /// Not decided yet: pending or open.
    public var isUndecided: Bool { self == .pending || self == .open }
}

/// An approver's answer to a step. Stored in `request_steps.decision`.
public enum Decision: String, Codable, Sendable, CaseIterable {
    case approve
    case deny

    /// The step's status once decided this way.
    public var stepStatus: StepStatus { self == .approve ? .approved : .denied }
}

/// A compliance alert's state. Stored in `alerts.status`.
public enum AlertStatus: String, Codable, Sendable, CaseIterable {
    case open
    case acknowledged
}

/// One delivery's state (an email or a webhook call). Stored in `deliveries.status`.
public enum DeliveryStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case delivered
    case failed
}
