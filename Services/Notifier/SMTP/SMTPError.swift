/// Why an SMTP conversation failed. `isPermanent` decides a delivery's fate: a 5xx reply is
/// permanent (the message will never be accepted as it is); everything else — 4xx replies,
/// refused or dropped connections, timeouts, TLS trouble — may pass, so the delivery is retried.
enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered `command` with an unexpected code.
    case reply(command: String, code: Int, text: String)
    /// The connection could not be made or was lost.
    case connection(String)
    /// The conversation took longer than allowed.
    case timeout
    /// STARTTLS was required but not offered, or the TLS handshake failed.
    case tls(String)
    /// The server spoke something other than SMTP.
    case protocolViolation(String)
    /// The message cannot be sent as it is (an address the notifier refuses, for instance).
    case rejectedLocally(String)

    var isPermanent: Bool {
        switch self {
        case .reply(_, let code, _): (500..<600).contains(code)
        case .rejectedLocally: true
        case .connection, .timeout, .tls, .protocolViolation: false
        }
    }

    /// The connection was gone, or the server said it is closing it (`421`): what a connection
    /// dropped while idle answers to its next command.
    var isStaleConnection: Bool {
        switch self {
        case .connection: true
        case .reply(_, let code, _): code == 421
        default: false
        }
    }

    /// What logs may show: the code and the command, without the server's text (which can
    /// repeat an address).
    var logSummary: String {
        switch self {
        case .reply(let command, let code, _): "SMTP \(code) after \(command)"
        default: description
        }
    }

    var description: String {
        switch self {
        case .reply(let command, let code, let text): "SMTP \(code) after \(command): \(text.prefix(300))"
        case .connection(let reason): "SMTP connection failed: \(reason)"
        case .timeout: "SMTP conversation timed out"
        case .tls(let reason): "SMTP TLS: \(reason)"
        case .protocolViolation(let reason): "SMTP protocol violation: \(reason)"
        case .rejectedLocally(let reason): "not sent: \(reason)"
        }
    }
}
