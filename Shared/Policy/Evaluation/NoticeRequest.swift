/// A proposed withdrawal, termination or imposed transition, to check against notice periods.
public struct NoticeRequest: Codable, Sendable, Equatable {
    /// Type id of the arrangement.
    public var arrangementType: String
    /// Which change.
    public var action: NoticeAction
    /// Day the notice is given.
    public var noticeGivenOn: CivilDate
    /// Day the change takes effect.
    public var effectiveOn: CivilDate
    /// Day the arrangement started (checks the minimum participation).
    public var arrangementStart: CivilDate?
    /// The employee (for conditional notice periods).
    public var employee: Employee?
    /// Both sides agreed to the change.
    public var mutuallyAgreed: Bool?

    /// A notice to check.
    public init(
        arrangementType: String, action: NoticeAction, noticeGivenOn: CivilDate,
        effectiveOn: CivilDate, arrangementStart: CivilDate? = nil, employee: Employee? = nil,
        mutuallyAgreed: Bool? = nil
    ) {
        self.arrangementType = arrangementType
        self.action = action
        self.noticeGivenOn = noticeGivenOn
        self.effectiveOn = effectiveOn
        self.arrangementStart = arrangementStart
        self.employee = employee
        self.mutuallyAgreed = mutuallyAgreed
    }

    enum CodingKeys: String, CodingKey {
        case arrangementType = "arrangement_type"
        case action
        case noticeGivenOn = "notice_given_on"
        case effectiveOn = "effective_on"
        case arrangementStart = "arrangement_start"
        case employee
        case mutuallyAgreed = "mutually_agreed"
    }
}
