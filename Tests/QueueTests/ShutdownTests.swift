import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@testable import Queue

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("on shutdown a running job finishes within the grace period, one that would not is released, nothing is lost")
    func gracefulStop() async throws {
        let pool = try await TestDatabase.pool()
        let queue = TestDatabase.uniqueName("q")
        let quickStarted = Atomic<Bool>(false)
        let slowStarted = Atomic<Bool>(false)
        let handlers: JobHandlers = [
            "quick": ClosureHandler { _ in
                quickStarted.store(true, ordering: .relaxed)
                try await Task.sleep(for: .milliseconds(400))
            },
            "slow": ClosureHandler { _ in
                slowStarted.store(true, ordering: .relaxed)
                try await Task.sleep(for: .seconds(60))
            },
        ]
        var configuration = QueueWorker.Configuration(queue: queue)
        configuration.shutdownGrace = .seconds(2)
        let worker = QueueWorker(
            configuration: configuration, handlers: handlers, pool: pool, conninfo: TestDatabase.conninfo,
            logger: TestDatabase.logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: TestDatabase.logger))
        let running = Task { try await group.run() }
        let quick = try await enqueue(NewJob(queue: queue, kind: "quick"), pool)
        let slow = try await enqueue(NewJob(queue: queue, kind: "slow"), pool)
        while !(quickStarted.load(ordering: .relaxed) && slowStarted.load(ordering: .relaxed)) {
            try await Task.sleep(for: .milliseconds(10))
        }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try await jobState(quick.id, pool).state == "completed")
        let released = try await jobState(slow.id, pool)
        #expect(released.state == "available")
        // The released job is picked up again and the interrupted attempt is not held against it.
        let maxAttempts = try await pool.withConnection {
            try $0.query("SELECT max_attempts - attempt AS left FROM fwa_jobs WHERE id = $1", slow.id).first!.decode(
                "left", as: Int.self)
        }
        #expect(maxAttempts == 20)
    }
}
