import ServiceKit

/// The small HTML page behind an action link: the request, the step, and a form that posts
/// the decision back to the same URL.
enum ActionPage {
    static func html(detail: Components.Schemas.RequestDetail, step: Components.Schemas.Step, preselected: String?)
        -> String
    {
        let approve = preselected == "deny" ? "" : " checked"
        let deny = preselected == "deny" ? " checked" : ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Flexible work request</title></head>
            <body>
            <h1>\(escape(detail.employee.name)): \(escape(detail.arrangementType))</h1>
            <p>From \(escape(detail.startDate))\(detail.endDate.map { " to " + escape($0) } ?? ""). Step \(step.index + 1): \(escape(step.stepId)) (\(escape(step.role))), status \(step.status.rawValue).</p>
            <p>\(escape(detail.justification ?? ""))</p>
            <form method="post">
            <label><input type="radio" name="decision" value="approve"\(approve)> Approve</label>
            <label><input type="radio" name="decision" value="deny"\(deny)> Deny</label>
            <p><label>Reason (required to deny)<br><textarea name="reason" maxlength="4000"></textarea></label></p>
            <button type="submit">Send</button>
            </form>
            </body></html>
            """
    }

    /// Escaped per Unicode scalar (`HTMLText`): a `<` inside a grapheme cluster is escaped too.
    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
