import Foundation
import NIOSSL
import Testing

@testable import Notifier

@Suite("SMTP over TLS (scripts/smtp-sink with a throwaway certificate)")
struct SMTPTLSTests {
    @Test(
        "STARTTLS and implicit TLS deliver with a trusted certificate, refuse an untrusted one, and keep a connection for the next message",
        arguments: ["starttls", "implicit"])
    func tls(mode: String) async throws {
        let (certificate, key) = try makeCertificate()
        let sink = try await SMTPSink.start(environment: [
            "SMTP_SINK_TLS_CERT": certificate, "SMTP_SINK_TLS_KEY": key, "SMTP_SINK_TLS_MODE": mode,
            "SMTP_SINK_PEER": "1",
        ])
        let security: SMTPConfiguration.Security = mode == "implicit" ? .implicitTLS : .startTLS
        var client = SMTPClient(
            configuration: SMTPConfiguration(host: "localhost", port: sink.port, security: security),
            heloName: "notifier.test", timeout: .seconds(20))
        client.tls.trustRoots = .file(certificate)
        let envelope = SMTPEnvelope(
            from: "flexwork@notifier.test", recipients: [testAddress("tls")],
            message: "Subject: tls\r\n\r\n.dotted\r\nbody\r\n")
        try await client.send(envelope)
        let messages = try await sink.waitForMessages(1)
        #expect(messages.count == 1 && messages.first?.raw.contains("\n.dotted\r\nbody") == true)

        var untrusting = client
        untrusting.tls.trustRoots = .default
        let error = await #expect(throws: SMTPError.self) { try await untrusting.send(envelope) }
        #expect(error?.isPermanent == false)
        if case .tls = error {} else { Issue.record("expected a TLS error, got \(String(describing: error))") }
        #expect(try sink.messages().count == 1)

        // Kept open between messages: TLS once, then two messages on the one connection.
        var keeping = client
        keeping.sessions = SMTPSessionPool(idleLimit: .seconds(5), capacity: 1)
        try await keeping.send(envelope)
        try await keeping.send(envelope)
        let all = try await sink.waitForMessages(3)
        #expect(all.count == 3)
        #expect(Set(all.dropFirst().map { $0.header("x-sink-peer") ?? "?" }).count == 1)
        #expect(keeping.sessions?.opened == 1)
        keeping.sessions?.shutdown()
        await sink.stop()
    }

    @Test("STARTTLS required but not offered: a retryable TLS error, nothing sent")
    func startTLSNotOffered() async throws {
        let sink = try await SMTPSink.start()
        let client = SMTPClient(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .startTLS),
            heloName: "notifier.test", timeout: .seconds(20))
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(
                SMTPEnvelope(
                    from: "flexwork@notifier.test", recipients: [testAddress("tls")], message: "Subject: x\r\n\r\nx\r\n"
                ))
        }
        #expect(error == .tls("the server does not offer STARTTLS"))
        #expect(try sink.messages().isEmpty)
        await sink.stop()
    }

    /// A self-signed certificate for `localhost` (PEM files: certificate, key), made with openssl.
    private func makeCertificate() throws -> (String, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CertificateError.opensslFailed(openssl.terminationStatus) }
        return (certificate, key)
    }

    enum CertificateError: Error { case opensslFailed(Int32) }
}
