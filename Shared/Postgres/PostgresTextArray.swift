/// Parses PostgreSQL's text form of a one-dimensional `text[]` (`{a,"b c",NULL}`); NULL
/// elements are dropped.
public enum PostgresTextArray {
    public static func parse(_ text: String) -> [String] {
        guard text.hasPrefix("{"), text.hasSuffix("}"), text.count > 2 else { return [] }
        var items: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if character == ",", !quoted {
                if wasQuoted || current != "NULL" { items.append(current) }
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
        }
        if wasQuoted || current != "NULL" { items.append(current) }
        return items
    }
}
