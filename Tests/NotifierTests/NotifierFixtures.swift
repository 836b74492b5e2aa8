import Egress
import Foundation
import Jobs
import Policy
import Postgres
import Queue
import Runtime
import ServiceLifecycle
import Storage
import TestSupport
import Workflow

@testable import Notifier

/// A tenant, its queue and configuration, private to one test.
struct NotifierFixture: Sendable {
    let pool: PostgresPool
    let tenantID: String
    var configuration: NotifierConfiguration

    static let secret = "test-action-link-secret-0123456789abcdef"

    /// A new tenant (with `roles` and `alertRoutes` in its active policy) and a configuration
    /// whose queue is this test's own.
    static func make(
        smtpPort: Int = 1, roles: [RoleDefinition] = [], alertRoutes: [AlertRoute]? = nil
    ) async throws -> NotifierFixture {
        let pool = try await TestDatabase.pool()
        let tenantID = "n-" + TestDatabase.uniqueName("t").replacingOccurrences(of: "_", with: "-")
        var policy = TenantPolicy(
            id: tenantID, name: "Notifier test", timeZone: "America/New_York",
            home: HomeJurisdiction(country: "US", region: "MA"), roles: roles, chain: [], arrangementTypes: [])
        policy.alertRoutes = alertRoutes
        let applied = policy
        _ = try await pool.transaction { try TenantStore.apply(applied, source: "test", actor: "test", on: $0) }
        var configuration = NotifierConfiguration(
            smtp: SMTPConfiguration(host: "127.0.0.1", port: smtpPort), from: "flexwork@notifier.test",
            publicURL: "http://127.0.0.1:8080", actionLinkSecret: secret, webhookTimeout: .seconds(2))
        configuration.queue = TestDatabase.uniqueName("notify")
        configuration.smtpTimeout = .seconds(10)
        configuration.deliveryMaxAttempts = 100
        // The test receivers listen on 127.0.0.1 over plain http: the development setting.
        configuration.webhookRules = WebhookRules(allowsHTTP: true, allowsPrivateAddresses: true)
        return NotifierFixture(pool: pool, tenantID: tenantID, configuration: configuration)
    }

    /// A unique event key for this test.
    func eventKey(_ label: String = "event") -> String { "\(label):\(tenantID):\(UUID().uuidString.lowercased())" }

    /// Inserts a request row (action tokens refer to one) and returns its id.
    func makeRequest() async throws -> UUID {
        let id = UUID()
        let tenantID = self.tenantID
        try await pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO requests (id, tenant_id, policy_version, status, arrangement_type, employee_email, supervisor_email,
                                      start_date, input, evaluation)
                VALUES ($1, $2, 1, 'pending_approval', 'hybrid', 'ada@notifier.test', 'boss@notifier.test', '2026-01-05', '{}', '{}')
                """, id, tenantID)
        }
        return id
    }

    /// Enqueues a `notification.send` job on this test's queue.
    @discardableResult
    func send(_ request: NotificationJob) async throws -> EnqueuedJob {
        let job = try NewJob(
            queue: configuration.queue, kind: NotificationJob.kind, payload: request, tenantID: request.tenantID)
        return try await pool.transaction { try JobQueue.enqueue(job, on: $0) }
    }

    /// The deliveries of an event.
    func deliveries(_ eventKey: String) async throws -> [DeliveryRow] {
        try await pool.withConnection { connection in
            try connection.query(
                """
                SELECT id, channel, recipient, status, attempts, last_error, message_id, delivered_at, action_token_id
                  FROM deliveries WHERE event_key = $1 ORDER BY channel, recipient
                """, eventKey
            ).rows.map(DeliveryRow.init(row:))
        }
    }

    /// Polls the deliveries of an event until `condition` holds or the timeout passes.
    func waitForDeliveries(
        _ eventKey: String, timeout: Duration = .seconds(30), until condition: ([DeliveryRow]) -> Bool
    ) async throws -> [DeliveryRow] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let rows = try await deliveries(eventKey)
            if condition(rows) { return rows }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await deliveries(eventKey)
    }

    /// The jobs of this test's queue of one kind: state and attempt.
    func jobs(kind: String) async throws -> [(state: String, attempt: Int, lastError: String?)] {
        let queue = configuration.queue
        return try await pool.withConnection { connection in
            try connection.query(
                "SELECT state, attempt, last_error FROM fwa_jobs WHERE queue = $1 AND kind = $2 ORDER BY id", queue,
                kind
            )
            .rows.map { (try $0.decode("state"), try $0.decode("attempt"), try $0.decodeIfPresent("last_error")) }
        }
    }

    /// Runs a notifier worker on this test's queue while `body` runs.
    func withWorker<T>(_ body: () async throws -> T) async throws -> T {
        var settings = WorkerSettings()
        settings.concurrency = 4
        settings.heartbeatInterval = .milliseconds(500)
        settings.pollInterval = .milliseconds(200)
        // A cap under one second would round to no delay at all (RetryPolicy counts whole seconds of its cap).
        settings.retry = RetryPolicy(base: .milliseconds(100), cap: .seconds(1))
        let service = WorkerService(
            name: "notifier", settings: settings, pool: pool, conninfo: TestDatabase.conninfo,
            logger: TestDatabase.logger)
        let parts = buildNotifier(configuration, service: service)
        // The worker and the resources it holds, stopped in reverse order (the pool is the test's).
        let group = ServiceGroup(services: parts.resources + parts.workers, logger: TestDatabase.logger)
        let task = Task { try await group.run() }
        let result = await Result { try await body() }
        await group.triggerGracefulShutdown()
        _ = await task.result
        return try result.get()
    }
}

/// One row of `deliveries`.
struct DeliveryRow: Sendable {
    let id: UUID
    let channel: String
    let recipient: String
    let status: String
    let attempts: Int
    let lastError: String?
    let messageID: String?
    let deliveredAt: Date?
    let actionTokenID: UUID?

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        channel = try row.decode("channel")
        recipient = try row.decode("recipient")
        status = try row.decode("status")
        attempts = try row.decode("attempts")
        lastError = try row.decodeIfPresent("last_error")
        messageID = try row.decodeIfPresent("message_id")
        deliveredAt = try row.decodeIfPresent("delivered_at")
        actionTokenID = try row.decodeIfPresent("action_token_id")
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of async work.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// A unique address for this test (`label` first, so that the sink can reject or defer it).
func testAddress(_ label: String) -> String { "\(label)-\(UInt32.random(in: 0...UInt32.max))@notifier.test" }

/// A port with nothing listening on it (bound once, then released).
func unusedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            guard bind(fd, socketAddress, length) == 0, getsockname(fd, socketAddress, &length) == 0 else {
                throw POSIXError(.EADDRINUSE)
            }
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
