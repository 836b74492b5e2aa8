import Foundation
import Testing
import Workflow

@testable import Policy

/// One row of the approval-flow tables: a request every tenant file accepts, one per arrangement
/// type of each tenant, built like the tenant's scenario tests build theirs.
struct FlowCase: Sendable, CustomTestStringConvertible {
    typealias F = TenantFixtures

    let tenant: String
    let request: ArrangementRequest

    var testDescription: String { "\(tenant) \(request.arrangementType)" }

    static let all: [FlowCase] = mit + mines + maDOC + rutgers + univF400

    static let mit = ["flextime", "compressed_workweek", "job_sharing", "hybrid", "fully_remote"].map { type in
        FlowCase(tenant: "mit", request: MITScenarioTests.offsite(type))
    }

    static let mines = [
        FlowCase(tenant: "mines", request: F.request("compressed_workweek", employee: MinesScenarioTests.staff())),
        FlowCase(tenant: "mines", request: F.request("flextime", employee: MinesScenarioTests.staff())),
        FlowCase(tenant: "mines", request: MinesScenarioTests.remote()),
    ]

    static let maDOC = ["flextime", "four_day_week", "job_sharing", "part_time", "staggered_hours"].map { type in
        FlowCase(
            tenant: "ma-doc",
            request: MADOCScenarioTests.option(type) { request in
                request.fields["job_share_partner"] = "Lee Example, Program Coordinator II"
                request.fields["hours_per_week"] = "20"
            })
    }

    static let rutgers = [
        FlowCase(
            tenant: "rutgers",
            request: RutgersScenarioTests.adHoc(start: "2025-03-03", end: "2025-03-04", used: 0)),
        FlowCase(tenant: "rutgers", request: RutgersScenarioTests.remote("hybrid", days: 2)),
        FlowCase(
            tenant: "rutgers",
            request: RutgersScenarioTests.remote("seasonal", start: "2025-07-01", end: "2025-09-30")),
        FlowCase(tenant: "rutgers", request: RutgersScenarioTests.remote("emergency") { $0.isEmergency = true }),
        FlowCase(tenant: "rutgers", request: RutgersScenarioTests.remote("fully_remote", end: "2026-03-02")),
        FlowCase(tenant: "rutgers", request: RutgersScenarioTests.remote("flex_workday")),
        FlowCase(tenant: "rutgers", request: RutgersScenarioTests.remote("compressed_workweek")),
    ]

    static let univF400 = [
        FlowCase(tenant: "univ-f400", request: UnivF400ScenarioTests.remoteDay(on: "2025-03-05")),
        FlowCase(tenant: "univ-f400", request: F.request("flextime", employee: UnivF400ScenarioTests.staff())),
        FlowCase(
            tenant: "univ-f400",
            request: F.request("compressed_workweek", employee: UnivF400ScenarioTests.staff()) {
                $0.attestations["operational_need"] = true
            }),
        FlowCase(
            tenant: "univ-f400",
            request: F.request("part_time", employee: UnivF400ScenarioTests.staff()) {
                $0.fields["hours_per_week"] = "30"
            }),
        FlowCase(
            tenant: "univ-f400",
            request: F.request("reduced_schedule", employee: UnivF400ScenarioTests.staff()) {
                $0.fields["months_per_year"] = "10"
            }),
    ]
}
