/// Maps a `DecodingError` from the request body or parameters to `400 malformed-request` with a
/// JSON pointer to the fault. The decoder stops at the first fault, so there is one error.
enum DecodingProblem {
    static func problem(for error: DecodingError) -> APIProblem {
        let (path, message) = describe(error)
        let pointer = pointer(path)
        let detail = pointer.isEmpty ? message : "\(pointer): \(message)"
        return APIProblem(
            .malformedRequest, "The body is not the documented shape: \(detail)",
            errors: [.init(pointer: pointer, message: message)])
    }

    private static func describe(_ error: DecodingError) -> ([any CodingKey], String) {
        switch error {
        case .typeMismatch(let type, let context):
            return (context.codingPath, "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return (context.codingPath, "expected \(typeName(type)), got null")
        case .keyNotFound(let key, let context):
            return (context.codingPath + [key], "is required")
        case .dataCorrupted(let context):
            return (context.codingPath, message(context.debugDescription))
        @unknown default:
            return ([], "cannot be decoded")
        }
    }

    private static func message(_ debug: String) -> String {
        if debug.hasPrefix("Additional properties are disabled") { return "is not a known property" }
        if debug.contains("not valid JSON") || debug.contains("JSON") && debug.contains("valid") {
            return "the body is not valid JSON"
        }
        if debug.hasPrefix("Cannot initialize") { return "is not one of the allowed values" }
        if debug.lowercased().contains("date") { return "expected an RFC 3339 date-time" }
        return debug
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "a string"
        case "Int", "Int32", "Int64": return "an integer"
        case "Double", "Float": return "a number"
        case "Bool": return "a boolean (true or false)"
        default:
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
            if name.hasPrefix("Dictionary") || name.hasPrefix("[String") { return "an object" }
            return "an object"
        }
    }

    private static func pointer(_ path: [any CodingKey]) -> String {
        path.map { key in
            let text = key.intValue.map(String.init) ?? key.stringValue
            return "/" + text.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }.joined()
    }
}
