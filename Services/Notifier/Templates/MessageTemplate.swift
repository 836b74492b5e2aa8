import Mustache
import ServiceKit

/// The Mustache sources of one kind of message: subject and plain text are rendered without
/// escaping (`CONTENT_TYPE: TEXT`), the HTML body with every value escaped per Unicode scalar
/// (`HTMLText`; Mustache's own HTML escaping works per `Character` and lets a `<` that shares a
/// grapheme cluster with a prepended or combining mark through). Data only ever goes in as
/// variables, never as template source, so a value like `{{secret}}` stays literal text.
struct MessageTemplate: Sendable, Equatable {
    var subject: String
    var text: String
    var html: String

    /// What `render` produces.
    struct Rendered: Sendable, Equatable {
        var subject: String
        var text: String
        var html: String
    }

    /// Why a tenant's template was refused.
    struct Problem: Error, Sendable, CustomStringConvertible {
        var part: String
        var reason: String
        var description: String { "template \(part): \(reason)" }
    }

    /// Renders the three parts with `variables`.
    func render(_ variables: [String: Any]) throws -> Rendered {
        let textPragma = "{{% CONTENT_TYPE: TEXT}}"
        return Rendered(
            subject: try Self.parse(textPragma + subject, part: "subject").render(variables),
            text: try Self.parse(textPragma + text, part: "text").render(variables),
            html: try Self.parse(ScalarEscapedHTML.pragma + html, part: "html").render(variables))
    }

    /// Checks a tenant's override: it must parse, and may not switch escaping off or pull in
    /// partials (`{{{…}}}`, `{{&…}}`, `{{%…}}`, `{{>…}}`, `{{<…}}`, `{{$…}}`, delimiter changes),
    /// so that data stays escaped in HTML.
    func validateOverride() throws {
        for (part, source) in [("subject", subject), ("text", text), ("html", html)] {
            for forbidden in ["{{{", "{{&", "{{%", "{{>", "{{<", "{{$", "{{="] where source.contains(forbidden) {
                throw Problem(part: part, reason: "\"\(forbidden)\" is not allowed in tenant templates")
            }
            _ = try Self.parse(source, part: part)
        }
    }

    private static func parse(_ source: String, part: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: source)
        } catch {
            throw Problem(part: part, reason: "does not parse (\(error))")
        }
    }
}

/// The content type of HTML bodies: values escaped per Unicode scalar. Registered with Mustache
/// (under a lock) the first time `pragma` is read, before any template names it.
struct ScalarEscapedHTML: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLText.escape(text) }

    /// `{{% CONTENT_TYPE: HTML_PER_SCALAR}}`, the content type registered.
    static let pragma: String = {
        MustacheContentTypes.register(ScalarEscapedHTML(), named: "HTML_PER_SCALAR")
        return "{{% CONTENT_TYPE: HTML_PER_SCALAR}}"
    }()
}
