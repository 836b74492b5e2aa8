import Policy

/// The webhook URLs of a tenant policy (each role's `webhook_url`), checked when the policy is
/// applied: by the intake's `PUT /v1/tenants/{tenant}` and by `fwactl tenant apply/validate`.
public enum TenantWebhooks {
    /// One refused URL: the index of its role in `roles`, the role's key, and why.
    public struct Problem: Sendable, Equatable {
        public var roleIndex: Int
        public var role: String
        public var refusal: WebhookRefusal

        /// `/roles/3/webhook_url` (a JSON pointer, for API answers).
        public var pointer: String { "/roles/\(roleIndex)/webhook_url" }
        /// `roles[3].webhook_url` (the tenant-file form, for fwactl).
        public var path: String { "roles[\(roleIndex)].webhook_url" }
        /// `role payroll: …`.
        public var message: String { "role \(role): \(refusal.reason)" }
    }

    /// Every refused webhook URL of `policy`, in role order; empty when all pass. A host that
    /// does not resolve where the policy is applied is not refused here (`unresolved` lists it):
    /// the notifier checks every address again at each send and refuses what it cannot check,
    /// and a tenant's receiver may be reachable only from where the notifier runs.
    public static func problems(in policy: TenantPolicy, rules: WebhookRules) async -> [Problem] {
        await refusals(in: policy, rules: rules).filter(\.refusal.isPermanent)
    }

    /// The webhook URLs whose host did not resolve when checked (checked again at each send).
    public static func unresolved(in policy: TenantPolicy, rules: WebhookRules) async -> [Problem] {
        await refusals(in: policy, rules: rules).filter { !$0.refusal.isPermanent }
    }

    private static func refusals(in policy: TenantPolicy, rules: WebhookRules) async -> [Problem] {
        var problems: [Problem] = []
        for (index, role) in policy.roles.enumerated() {
            guard let url = role.webhookUrl else { continue }
            if case .failure(let refusal) = await WebhookDestination.checked(url, rules: rules) {
                problems.append(Problem(roleIndex: index, role: role.key, refusal: refusal))
            }
        }
        return problems
    }
}
