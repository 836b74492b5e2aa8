/// The pure policy engine of one tenant: eligibility, limits, approval chain, location
/// findings, notice periods, reviews and expiries. No I/O; build it once per policy version
/// (it precomputes the calendar and lookup tables) and share it: it is immutable and Sendable.
public struct PolicyEngine: Sendable {
    /// The policy it evaluates.
    public let policy: TenantPolicy
    /// The tenant's business days.
    public let calendar: BusinessCalendar
    /// The same person may not approve two steps of one request (also through delegation).
    public let distinctApprovers: Bool
    let types: [String: ArrangementType]
    let roles: [String: RoleDefinition]
    let routes: [String: [String]]
    let ratings: RatingScale
    let regionGroups: [String: [String]]
    let defaultSLA: Int

    /// An engine for `policy` (assumed valid: load it with `TenantFile`).
    public init(policy: TenantPolicy) {
        self.policy = policy
        calendar = BusinessCalendar(policy: policy)
        distinctApprovers = policy.distinctApprovers ?? false
        types = Dictionary(policy.arrangementTypes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        roles = Dictionary(policy.roles.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        routes = Dictionary(
            (policy.alertRoutes ?? []).map { ($0.kind, $0.recipients) },
            uniquingKeysWith: { first, _ in first })
        ratings = RatingScale(levels: policy.ratingScale ?? [])
        regionGroups = Dictionary(
            (policy.location?.regionGroups ?? []).map { ($0.id, $0.regions) },
            uniquingKeysWith: { first, _ in first })
        defaultSLA = policy.defaultSlaBusinessDays ?? 10
    }

    /// Evaluates a request: eligibility (every violated rule, with its clause), the ordered
    /// approval chain with approvers and due dates, warnings and compliance findings.
    public func evaluate(_ request: ArrangementRequest) -> Evaluation {
        var outcome = EvaluationBuilder()
        guard let type = types[request.arrangementType] else {
            outcome.violate(unknownType(request.arrangementType))
            return outcome.finish(chain: [], distinctApprovers: distinctApprovers, expiry: nil)
        }
        let facts = RequestFacts(request: request, engine: self)
        let conditions = ConditionEvaluator(facts: facts, ratings: ratings)
        checkLimits(type, request, facts, &outcome)
        checkRequirements(type, request, conditions, &outcome)
        checkEligibility(type, request, conditions, &outcome)
        checkLocation(type, request, facts, conditions, &outcome)
        let chain = resolveChain(request, conditions, &outcome)
        return outcome.finish(chain: chain, distinctApprovers: distinctApprovers, expiry: expiry(for: request))
    }

    /// The holder of `role` for an employee of `department` (`supervisor`: the supervisor
    /// named on the request).
    public func approver(forRole role: String, department: String, supervisorEmail: String?) -> String? {
        guard let definition = roles[role] else { return nil }
        if definition.fromRequest == true { return supervisorEmail }
        return definition.departments?[department] ?? definition.email
    }

    /// The recipients of an alert kind (its `alert_routes` entry), resolved for `department`.
    public func recipients(forAlert kind: String, department: String) -> [Recipient] {
        recipients(routes[kind] ?? [], department: department)
    }

    func recipients(_ keys: [String], department: String) -> [Recipient] {
        keys.map { key in
            Recipient(
                role: key, email: approver(forRole: key, department: department, supervisorEmail: nil),
                webhookURL: roles[key]?.webhookUrl)
        }
    }

    func unknownType(_ id: String) -> RuleViolation {
        if let refused = policy.notOffered?.first(where: { $0.id == id }) {
            return RuleViolation(
                ruleId: "arrangement_type.not_offered",
                message: refused.message + PolicyEngine.cite(refused.source),
                field: "/arrangement_type", citation: refused.source)
        }
        let offered = policy.arrangementTypes.map(\.id).joined(separator: ", ")
        return RuleViolation(
            ruleId: "arrangement_type.unknown",
            message: "\(policy.name) does not offer \"\(id)\"; it offers \(offered).",
            field: "/arrangement_type", citation: policy.source)
    }

    /// ` (Article 59 §I)` or nothing.
    static func cite(_ source: String?) -> String {
        guard let source, !source.isEmpty else { return "" }
        return " (" + source + ")"
    }
}
