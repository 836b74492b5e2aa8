import Workflow

/// The built-in wording of each kind of message. A tenant can replace any kind with its own
/// (table `notification_templates`). Variables: the job's `data` (`employee_name`,
/// `arrangement_type`, `start_date`, …) and `request_id`, `tenant_id`, `kind`, plus `approve_url`,
/// `deny_url` and `action_expires_at` in an approver's email.
enum DefaultTemplates {
    /// The template of `kind`.
    static func template(for kind: NotificationKind) -> MessageTemplate {
        let (subject, summary) = wording(kind)
        return MessageTemplate(subject: subject, text: textFrame(summary), html: htmlFrame(summary))
    }

    private static let period = "{{start_date}}{{#end_date}} to {{end_date}}{{/end_date}}"
    private static let who = "{{employee_name}}{{#employee_email}} ({{employee_email}}){{/employee_email}}"

    /// The subject and the one-paragraph summary of `kind`.
    private static func wording(_ kind: NotificationKind) -> (subject: String, summary: String) {
        switch kind {
        case .stepOpened:
            (
                "Approval needed: {{arrangement_type}} request from {{employee_name}}",
                "\(who) asks for {{arrangement_type}} from \(period). Your decision is needed as {{step_role}}{{#due_date}} by {{due_date}}{{/due_date}}."
            )
        case .reminder:
            (
                "Reminder: {{arrangement_type}} request from {{employee_name}} awaits your decision",
                "The {{arrangement_type}} request of \(who) from \(period) still awaits your decision as {{step_role}}{{#due_date}}; it is due {{due_date}}{{/due_date}}."
            )
        case .escalation:
            (
                "Escalated: {{arrangement_type}} request from {{employee_name}}",
                "The {{step_role}} step of the {{arrangement_type}} request of \(who) passed its deadline{{#due_date}} ({{due_date}}){{/due_date}} and is escalated to you."
            )
        case .decision:
            (
                "Decision on the {{arrangement_type}} request of {{employee_name}}: {{decision}}",
                "The {{arrangement_type}} request of \(who) from \(period) was decided: {{decision}}.{{#reason}} Reason: {{reason}}{{/reason}}"
            )
        case .alert:
            (
                "Compliance alert: {{alert_kind}}{{#jurisdiction}} ({{jurisdiction}}){{/jurisdiction}}",
                "{{#message}}{{message}} {{/message}}{{#employee_name}}Employee: \(who); {{arrangement_type}} from \(period).{{/employee_name}}{{#jurisdiction}} Jurisdiction: {{jurisdiction}}.{{/jurisdiction}}"
            )
        case .reviewDue:
            (
                "Review due: {{arrangement_type}} arrangement of {{employee_name}}",
                "The {{arrangement_type}} arrangement of \(who) is due for review{{#review_date}} on {{review_date}}{{/review_date}}{{#due_date}} by {{due_date}}{{/due_date}}."
            )
        case .expiryNotice:
            (
                "Ending {{end_date}}: {{arrangement_type}} arrangement of {{employee_name}}",
                "The {{arrangement_type}} arrangement of \(who) ends on {{end_date}}. Ask for a renewal before then if it should continue."
            )
        case .withdrawn:
            (
                "Withdrawn: {{arrangement_type}} request of {{employee_name}}",
                "\(who) withdrew the {{arrangement_type}} request from \(period){{#effective_date}}, effective {{effective_date}}{{/effective_date}}.{{#reason}} Reason: {{reason}}{{/reason}} No action is needed."
            )
        case .terminated:
            (
                "Terminated: {{arrangement_type}} arrangement of {{employee_name}}",
                "The {{arrangement_type}} arrangement of \(who) was terminated{{#effective_date}}, effective {{effective_date}}{{/effective_date}}.{{#reason}} Reason: {{reason}}{{/reason}}"
            )
        case .activated:
            (
                "Now active: {{arrangement_type}} arrangement of {{employee_name}}",
                "The {{arrangement_type}} arrangement of \(who) is active from \(period)."
            )
        case .expired:
            (
                "Ended: {{arrangement_type}} arrangement of {{employee_name}}",
                "The {{arrangement_type}} arrangement of \(who) from \(period) has ended. Ask for a new arrangement if it should continue."
            )
        }
    }

    private static func textFrame(_ summary: String) -> String {
        """
        \(summary)

        {{#request_id}}
        Request: {{request_id}}
        {{/request_id}}
        {{#approve_url}}

        Approve: {{approve_url}}
        Deny: {{deny_url}}
        Each link works once{{#action_expires_at}} and expires {{action_expires_at}}{{/action_expires_at}}.
        {{/approve_url}}

        -- 
        Flexible work arrangements ({{tenant_id}}). This message was sent automatically.

        """
    }

    private static func htmlFrame(_ summary: String) -> String {
        """
        <!DOCTYPE html>
        <html><body style="font-family: sans-serif; line-height: 1.4">
        <p>\(summary)</p>
        {{#request_id}}
        <p>Request: <code>{{request_id}}</code></p>
        {{/request_id}}
        {{#approve_url}}
        <p><a href="{{approve_url}}">Approve</a> &nbsp; <a href="{{deny_url}}">Deny</a></p>
        <p style="color: #555">Each link works once{{#action_expires_at}} and expires {{action_expires_at}}{{/action_expires_at}}.</p>
        {{/approve_url}}
        <p style="color: #777; font-size: small">Flexible work arrangements ({{tenant_id}}). This message was sent automatically.</p>
        </body></html>

        """
    }
}
