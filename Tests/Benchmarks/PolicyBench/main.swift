// Policy engine speed: evaluations per second on one core, per seed tenant, for a typical
// request of each. Run by scripts/bench-policy (release build). Prints one JSON line per tenant.
import Foundation
import Policy

let root = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "deploy/tenants")
let seconds = Double(CommandLine.arguments.dropFirst(2).first ?? "2") ?? 2

/// A typical request for each tenant: a hybrid or flextime arrangement of an eligible employee.
func typicalRequest(for policy: TenantPolicy) -> ArrangementRequest {
    var employee = Employee(
        email: "pat@example.edu", name: "Pat Doe", department: "physics",
        employeeClass: policy.employeeClasses?.first ?? "staff")
    employee.exempt = true
    employee.monthsEmployed = 30
    employee.lastRating = "meets_expectations"
    let type =
        policy.arrangementTypes.first { $0.id == "hybrid" } ?? policy.arrangementTypes.first { $0.id == "remote_work" }
        ?? policy.arrangementTypes[0]
    let start = CivilDate(year: 2027, month: 3, day: 1)!
    var request = ArrangementRequest(
        arrangementType: type.id, employee: employee, supervisorEmail: "sup@example.edu", startDate: start,
        submittedOn: start.adding(days: -30))
    request.endDate = start.adding(months: 6)
    request.remoteDaysPerWeek = 2
    request.location = WorkLocation(country: policy.home.country, region: policy.home.region)
    request.justification = "Quiet work on analysis benefits from uninterrupted time at home."
    // What the type asks of every request, answered as an employee would (attestations given, fields filled).
    for requirement in type.requirements ?? [] {
        switch requirement.kind {
        case .attestation: request.attestations[requirement.key] = true
        case .field: request.fields[requirement.key] = "Answered in the request form."
        }
    }
    return request
}

for file in ["mit", "mines", "ma-doc", "rutgers", "univ-f400"] {
    let policy = try TenantFile.load(contentsOf: root.appendingPathComponent("\(file).yaml")).get()
    let engine = PolicyEngine(policy: policy)
    let request = typicalRequest(for: policy)
    let sample = engine.evaluate(request)
    var count = 0
    var steps = 0
    let clock = ContinuousClock()
    let start = clock.now
    while clock.now - start < .milliseconds(Int64(seconds * 1000)) {
        for _ in 0..<1_000 { steps &+= engine.evaluate(request).chain.count }
        count += 1_000
    }
    let elapsed = clock.now - start
    let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(
        "{\"benchmark\": \"policy\", \"tenant\": \"\(file)\", \"evaluations_per_s\": \(Int(Double(count) / secondsElapsed)), \"chain_steps\": \(steps / count), \"eligible\": \(sample.eligible), \"violations\": \(sample.violations.count)}"
    )
}
