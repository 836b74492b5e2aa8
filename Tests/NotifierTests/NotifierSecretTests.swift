import Foundation
import ServiceKit
import Testing

@testable import Notifier

/// The notifier refuses a placeholder or weak action-link secret or SMTP password, naming the variable.
@Suite("Notifier secrets")
struct NotifierSecretTests {
    static let base = [
        "FWA_SMTP_URL": "smtp://127.0.0.1:25", "FWA_PUBLIC_URL": "http://127.0.0.1:8080",
        "FWA_ACTION_LINK_SECRET": "q7Vw2Lk9Rt4Xz8Mb3Nh6Jp1Fd5Gs0YcE",
    ]

    @Test(
        "a placeholder or weak secret stops the notifier, naming the variable",
        arguments: [
            ("FWA_ACTION_LINK_SECRET", "change-me-action-link-secret-000000"),
            ("FWA_ACTION_LINK_SECRET", String(repeating: "s", count: 40)),
            ("FWA_ACTION_LINK_SECRET", "an-example-link-key-for-the-docs-9f3"),
            ("FWA_SMTP_URL", "smtps://relay:changeme@mail.example.edu"),
        ])
    func refused(variable: String, value: String) {
        var environment = Self.base
        environment[variable] = value
        let error = #expect(throws: ConfigurationError.self) {
            try NotifierConfiguration.read(EnvironmentReader(environment))
        }
        #expect(error?.variable.hasPrefix(variable) == true, "\(error.map { "\($0)" } ?? "accepted")")
    }

    @Test("a strong SMTP password is accepted")
    func accepted() throws {
        var environment = Self.base
        environment["FWA_SMTP_URL"] = "smtps://relay:Zr8Kq2Vw7Lm4Xt9B@mail.example.edu"
        #expect(try NotifierConfiguration.read(EnvironmentReader(environment)).smtp.credentials?.user == "relay")
    }
}
