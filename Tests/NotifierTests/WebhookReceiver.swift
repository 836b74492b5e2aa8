import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A webhook receiver inside the test process: a Hummingbird app on a loopback port.
/// `POST /ok` answers 200, `/bad` 400, `/flaky` 500 to the first request of each delivery and
/// 200 afterwards. Every request is recorded.
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: Data
        var status: Int
    }

    private let received = Mutex<[Received]>([])
    private let boundPort = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var requests: [Received] { received.withLock { $0 } }

    /// The base URL once running (`http://127.0.0.1:<port>`).
    var baseURL: String { "http://127.0.0.1:\(boundPort.withLock { $0 } ?? 0)" }

    /// Starts the app and waits until it listens.
    func start() async throws {
        let router = Router()
        router.post("/{mode}") { request, context -> Response in
            let mode = context.parameters.get("mode") ?? "ok"
            let buffer = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let delivery = headers["x-flexwork-delivery"] ?? ""
            let status = self.received.withLock { received -> Int in
                let seen = received.contains { $0.headers["x-flexwork-delivery"] == delivery }
                let status =
                    switch mode {
                    case "bad": 400
                    case "flaky": seen ? 200 : 500
                    default: 200
                    }
                received.append(
                    Received(path: "/" + mode, headers: headers, body: Data(buffer.readableBytesView), status: status))
                return status
            }
            return Response(status: .init(code: status))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.boundPort.withLock { $0 = channel.localAddress?.port } })
        task.withLock { $0 = Task { try await app.run() } }
        let deadline = ContinuousClock.now + .seconds(20)
        while boundPort.withLock({ $0 }) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the app.
    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = await running?.result
    }
}
