import Foundation

/// `scripts/smtp-sink` (aiosmtpd) as a subprocess on a loopback port, and the messages it stored.
///
/// `@unchecked Sendable`: the process handle is set once in `start` and only read afterwards.
final class SMTPSink: @unchecked Sendable {
    let directory: URL
    let port: Int
    private let process: Process

    private init(directory: URL, port: Int, process: Process) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    /// Starts a sink on `port` (0 picks a free one) with its own folder, and waits until it listens.
    static func start(
        port: Int = 0, auth: String? = nil, environment extra: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> SMTPSink {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "notifier-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = repositoryRoot.appendingPathComponent("scripts/smtp-sink")
        process.arguments = [String(port), directory.path]
        var environment = ProcessInfo.processInfo.environment
        if let auth { environment["SMTP_SINK_AUTH"] = auth }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        // Its output goes to a file: a child holding the test's stdout open would keep `swift test` waiting.
        let log = directory.appendingPathComponent("sink.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        let ready = directory.appendingPathComponent(".ready")
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: ready, encoding: .utf8), let port = Int(text) {
                return SMTPSink(directory: directory, port: port, process: process)
            }
            guard process.isRunning else { throw SinkError.exited(process.terminationStatus) }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw SinkError.notReady
    }

    /// Every stored message, oldest first.
    func messages() throws -> [ReceivedEmail] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "eml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
            .map { ReceivedEmail(raw: try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// Polls until `count` messages are stored, or the timeout passes.
    func waitForMessages(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [ReceivedEmail] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found = try messages()
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try messages()
    }

    /// Stops the server and waits for it to exit.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
    }

    enum SinkError: Error {
        case exited(Int32)
        case notReady
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
