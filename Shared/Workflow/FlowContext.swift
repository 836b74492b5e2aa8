import Policy

/// What the approval flow answers one event from: the request, its steps in chain order, the
/// policy version it was routed under and the tenant's date today.
struct FlowContext {
    let request: RequestRecord
    let steps: [StepRecord]
    let engine: PolicyEngine
    let today: CivilDate

    /// Who hears of every change of the arrangement: the employee and the supervisor.
    var employeeAndSupervisor: [Recipient] { [request.employee, request.supervisor] }

    /// A message about the request, keyed `<event>:<REQUEST ID>` followed by `detail` parts (the id
    /// in uppercase, as `UUID` prints it and as every key delivered so far has it), to the
    /// employee and the supervisor unless `recipients` says otherwise.
    func notice(
        _ kind: NotificationKind, event: String, _ detail: String..., to recipients: [Recipient]? = nil,
        data: [String: String] = [:], action: StepAction? = nil
    ) -> FlowAction {
        let eventKey = ([event, request.id.uuidString] + detail).joined(separator: ":")
        return .notify(
            FlowNotice(
                kind: kind, eventKey: eventKey, recipients: recipients ?? employeeAndSupervisor,
                data: data, action: action))
    }
}
