import CLibPQ
import Foundation
import Logging
import Synchronization

/// What a listener reports to its consumer.
public enum ListenerEvent: Sendable, Equatable {
    /// The listener is connected and listening. After a reconnect, notifications sent while it
    /// was away are lost: the consumer should poll once.
    case connected(isReconnect: Bool)
    /// The connection was lost; the listener is reconnecting (a `connected` event follows).
    case disconnected
    /// A `NOTIFY` arrived on one of the channels.
    case notification(channel: String, payload: String)
}

/// A dedicated connection that `LISTEN`s on channels and delivers notifications as an
/// `AsyncStream`. It waits on the connection's socket with `poll(2)` on its own thread, and
/// reconnects with exponential backoff, re-issuing `LISTEN`, when the connection is lost.
public final class PostgresListener: Sendable {
    private let conninfo: String
    private let channels: [String]
    private let logger: Logger
    private let maxBackoff: Duration
    private let stopped = Atomic<Bool>(false)

    public init(conninfo: String, channels: [String], logger: Logger, maxBackoff: Duration = .seconds(5)) {
        self.conninfo = conninfo
        self.channels = channels
        self.logger = logger
        self.maxBackoff = maxBackoff
    }

    /// Starts the listening thread and returns its events; the stream ends after `stop()`.
    public func start() -> AsyncStream<ListenerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ListenerEvent.self, bufferingPolicy: .bufferingNewest(1024))
        startThread(deliver: { continuation.yield($0) }, finished: { continuation.finish() })
        return stream
    }

    /// Starts the listening thread and calls `onEvent` on it for each event until `stop()`.
    /// For a consumer whose reaction is quick and non-blocking (ringing a doorbell): it saves
    /// the hop through a stream and a task between a NOTIFY and the code it wakes.
    public func start(onEvent: @escaping @Sendable (ListenerEvent) -> Void) {
        startThread(deliver: { [self] event in if !isStopped { onEvent(event) } }, finished: {})
    }

    private func startThread(
        deliver: @escaping @Sendable (ListenerEvent) -> Void, finished: @escaping @Sendable () -> Void
    ) {
        let thread = Thread { [self] in
            run(deliver)
            finished()
        }
        thread.name = "pg-listener"
        thread.start()
    }

    /// Asks the thread to close its connection and end the stream (within about 100 ms).
    public func stop() { stopped.store(true, ordering: .releasing) }

    private var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// `fwa-listen:` and the first channel: the session's `application_name`.
    public var applicationName: String { "fwa-listen:" + (channels.first ?? "") }

    private func run(_ deliver: (ListenerEvent) -> Void) {
        var failures = 0
        var hasConnected = false
        while !isStopped {
            do {
                let connection = try PostgresConnection.connect(conninfo)
                // Named in pg_stat_activity, so operators (and tests) can find the listeners.
                try connection.query(
                    "SELECT set_config('application_name', $1, false)", String(applicationName.prefix(63)))
                for channel in channels {
                    try connection.execute("LISTEN \(PostgresConnection.quoteIdentifier(channel))")
                }
                deliver(.connected(isReconnect: hasConnected))
                if hasConnected { logger.info("listener reconnected", metadata: ["channels": "\(channels.count)"]) }
                hasConnected = true
                failures = 0
                try waitForNotifications(on: connection, deliver)
            } catch {
                if failures == 0, hasConnected { deliver(.disconnected) }
                failures += 1
                logger.warning("listener connection failed", metadata: ["error": "\(error)", "attempt": "\(failures)"])
                sleepBackoff(failures)
            }
        }
    }

    private func waitForNotifications(on connection: PostgresConnection, _ deliver: (ListenerEvent) -> Void) throws {
        let socket = PQsocket(connection.handle)
        var lastActivity = ContinuousClock.now
        while !isStopped {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0, errno != EINTR {
                throw PostgresError(kind: .connection, message: "poll failed: errno \(errno)")
            }
            if ready > 0 {
                guard PQconsumeInput(connection.handle) == 1 else {
                    throw PostgresError(kind: .connection, message: connection.lastErrorMessage)
                }
                lastActivity = .now
            } else if ContinuousClock.now - lastActivity > .seconds(15) {
                try connection.execute("SELECT 1")  // detects a silently dead connection
                lastActivity = .now
            }
            drainNotifications(connection, deliver)
        }
    }

    private func drainNotifications(_ connection: PostgresConnection, _ deliver: (ListenerEvent) -> Void) {
        while let notify = PQnotifies(connection.handle) {
            let channel = String(cString: notify.pointee.relname)
            let payload = String(cString: notify.pointee.extra)
            PQfreemem(notify)
            deliver(.notification(channel: channel, payload: payload))
        }
    }

    private func sleepBackoff(_ failures: Int) {
        let millis = min(Double(maxBackoff.components.seconds) * 1000, 50 * pow(2, Double(min(failures, 10))))
        let jittered = millis * Double.random(in: 0.5...1.0)
        let deadline = ContinuousClock.now + .milliseconds(Int(jittered))
        while !isStopped, ContinuousClock.now < deadline { usleep(20_000) }
    }
}
