import Foundation
import Jobs
import Policy
import Workflow

/// Turns a notification's recipients into destinations: explicit addresses and webhooks as they
/// are, roles through the tenant's role directory (a department's holder first, then the role's
/// email and webhook), and an alert without recipients through the policy's `alert_routes`.
/// Pure: the policy is passed in.
struct RecipientResolver: Sendable {
    /// The tenant's active policy, nil when it has none.
    var policy: TenantPolicy?
    var policyVersion: Int?

    /// The destinations of `request`, without duplicates, and the recipients that have none.
    func resolve(_ request: NotificationJob) -> (targets: [DeliveryTarget], unresolved: [UnresolvedRecipient]) {
        var targets: [DeliveryTarget] = []
        var unresolved: [UnresolvedRecipient] = []
        for recipient in recipients(of: request) {
            let (found, problems) = resolve(recipient, data: request.data)
            targets += found
            unresolved += problems
        }
        if let action = request.action, let approver = EmailAddress.normalized(action.approverEmail),
            !targets.contains(DeliveryTarget(channel: .email, recipient: approver))
        {
            targets.append(DeliveryTarget(channel: .email, recipient: approver))
        }
        var seen = Set<DeliveryTarget>()
        var seenProblems = Set<String>()
        return (
            targets.filter { seen.insert($0).inserted }, unresolved.filter { seenProblems.insert($0.label).inserted }
        )
    }

    /// The request's recipients, or for an alert without any, its kind's alert route.
    private func recipients(of request: NotificationJob) -> [Recipient] {
        guard request.recipients.isEmpty, request.kind == .alert, let alertKind = request.data["alert_kind"] else {
            return request.recipients
        }
        let roles = policy?.alertRoutes?.first { $0.kind == alertKind }?.recipients ?? []
        return roles.map { Recipient(role: $0) }
    }

    private func resolve(_ recipient: Recipient, data: [String: String]) -> ([DeliveryTarget], [UnresolvedRecipient]) {
        if recipient.email != nil || recipient.webhookURL != nil {
            return explicit(recipient)
        }
        guard let role = recipient.role, !role.isEmpty else {
            return ([], [UnresolvedRecipient(label: "(none)", reason: "a recipient has no role, email or webhook_url")])
        }
        let label = "role:" + MIMEText.headerValue(role).prefix(100)
        guard let policy else {
            return (
                [],
                [UnresolvedRecipient(label: label, reason: "the tenant has no active policy to resolve role \(role)")]
            )
        }
        let version = policyVersion.map { " (policy version \($0))" } ?? ""
        guard let definition = policy.roles.first(where: { $0.key == role }) else {
            return (
                [],
                [
                    UnresolvedRecipient(
                        label: label, reason: "role \(role) is not in the tenant's role directory\(version)")
                ]
            )
        }
        let departmentEmail = data["department"].flatMap { definition.departments?[$0] }
        var found = explicit(Recipient(email: departmentEmail ?? definition.email, webhookURL: definition.webhookUrl))
        if found.0.isEmpty, found.1.isEmpty {
            let reason =
                definition.fromRequest == true
                ? "role \(role) is the request's supervisor: the sender must give the address"
                : "role \(role) has no email or webhook in the tenant's role directory\(version)"
            found.1 = [UnresolvedRecipient(label: label, reason: reason)]
        }
        return found
    }

    private func explicit(_ recipient: Recipient) -> ([DeliveryTarget], [UnresolvedRecipient]) {
        var targets: [DeliveryTarget] = []
        var problems: [UnresolvedRecipient] = []
        if let email = recipient.email {
            if let address = EmailAddress.normalized(email) {
                targets.append(DeliveryTarget(channel: .email, recipient: address))
            } else {
                problems.append(
                    UnresolvedRecipient(
                        label: "email:" + MIMEText.headerValue(email).prefix(200), reason: "not a plain email address"))
            }
        }
        if let url = recipient.webhookURL {
            if Self.isWebhookURL(url) {
                targets.append(DeliveryTarget(channel: .webhook, recipient: url))
            } else {
                problems.append(
                    UnresolvedRecipient(
                        label: "webhook:" + MIMEText.headerValue(url).prefix(200), reason: "not an http(s) URL"))
            }
        }
        return (targets, problems)
    }

    /// An absolute http(s) URL with a host and no spaces or control characters.
    static func isWebhookURL(_ text: String) -> Bool {
        guard text.utf8.count <= 2000, !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
            let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }
}
