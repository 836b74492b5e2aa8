import Foundation
import ServiceKit
import Testing

@testable import Intake

/// Working defaults: a secret that is a known placeholder or too weak stops the service at start,
/// naming the variable (before, `change-me-admin-token` passed the length check and ran).
@Suite("Secrets from the environment: placeholders and weak values are refused, naming the variable")
struct SecretSettingTests {
    static let strong = "q7Vw2Lk9Rt4Xz8Mb3Nh6Jp1Fd5Gs0Yc"

    @Test(
        "SecretStrength: placeholders, one repeated character, few distinct characters and short values fail; random values pass",
        arguments: [
            ("change-me-admin-token", "placeholder"), ("CHANGEME-0123-token-abc", "placeholder"),
            ("my-example-token-9f8e7d6c", "placeholder"),
            ("super-secret-token-42", "placeholder"), ("Password-for-admin-7", "placeholder"),
            ("placeholder-value-7Kq", "placeholder"),
            ("tokenxxxtoken-9f8e7d", "placeholder"), ("token-0123456789-Kq", "placeholder"),
            ("aaaaaaaaaaaaaaaaaaaaaaaa", "repeated"),
            ("abababababababababab", "different characters"), ("7Kq9Xw2Lm4R", "at least 16 bytes"),
        ])
    func refusals(value: String, reason: String) {
        let problem = SecretStrength(minimumLength: 16).problem(with: value)
        #expect(problem?.contains(reason) == true, "\(value): \(problem ?? "accepted")")
        #expect(problem?.contains(value) != true, "the message repeats the secret")
    }

    @Test("SecretStrength: random values of the minimum length pass")
    func randomValues() {
        for value in [Self.strong, "e2e-operator-token-7Kq9Xw2Lm4Rt", "9f3K2mQ7xR4tW8zL"] {
            #expect(SecretStrength(minimumLength: 16).problem(with: value) == nil, "\(value)")
        }
    }

    static func intake(_ overrides: [String: String]) throws -> IntakeConfiguration {
        var values = [
            "DATABASE_URL": "postgresql:///fwa", "FWA_ADMIN_TOKEN": strong, "FWA_ACTION_LINK_SECRET": strong + "Ab",
        ]
        values.merge(overrides) { $1 }
        return try IntakeConfiguration.from(try ServiceConfiguration.fromEnvironment(values, defaultPort: 8080))
    }

    @Test(
        "the intake's configuration refuses a placeholder or weak secret, naming the variable",
        arguments: [
            ("FWA_ADMIN_TOKEN", "change-me-admin-token"), ("FWA_ADMIN_TOKEN", "xxxxxxxxxxxxxxxxxxxx"),
            ("FWA_ADMIN_TOKEN", "short-7Kq"),
            ("FWA_ACTION_LINK_SECRET", "change-me-action-link-secret-0000"),
            ("FWA_ACTION_LINK_SECRET", "q7Vw2Lk9Rt4Xz8Mb3Nh6"),
            ("DATABASE_URL", "postgresql://flexwork_intake:change-me-intake-db@postgres:5432/flexwork"),
            ("PGPASSWORD", "password1234567890"),
        ])
    func intakeRefuses(variable: String, value: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try Self.intake([variable: value]) }
        #expect(error?.variable.hasPrefix(variable) == true, "\(error.map { "\($0)" } ?? "accepted")")
        #expect(error?.description.contains(value) != true, "the message repeats the secret")
    }

    @Test("the intake's configuration takes strong secrets, and a database URL without a password")
    func intakeAccepts() throws {
        let configuration = try Self.intake([
            "DATABASE_URL": "postgresql://flexwork_intake:9f3K2mQ7xR4tW8zL5vB1@db/flexwork"
        ])
        #expect(configuration.adminToken == Self.strong)
        #expect(try Self.intake([:]).actionLinkSecret == Self.strong + "Ab")
    }
}
