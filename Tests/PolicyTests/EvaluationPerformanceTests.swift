import Foundation
import Testing

@testable import Policy

/// Speed is measured by `scripts/bench-policy` (Tests/Benchmarks/PolicyBench), not here; this
/// checks what the benchmark relies on: evaluation is deterministic.
@Suite("Evaluation determinism")
struct EvaluationPerformanceTests {
    @Test("evaluating the same request many times gives the same answer")
    func deterministic() throws {
        let engine = try TenantFixtures.engine("rutgers")
        let request = RutgersScenarioTests.remote("hybrid", days: 3)
        let first = engine.evaluate(request)
        #expect(first.eligible)
        for _ in 0..<1_000 { #expect(engine.evaluate(request) == first) }
    }
}
