/// One step of a path into a tenant file: a mapping key or a list index.
enum PathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)

    var codingKey: AnyKey {
        switch self {
        case .key(let key): return AnyKey(stringValue: key)
        case .index(let index): return AnyKey(intValue: index)
        }
    }

    /// `chain[2].role`.
    static func dotted(_ path: [PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += (text.isEmpty ? "" : ".") + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// `/chain/2/role` (RFC 6901).
    static func pointer(_ path: [PathComponent]) -> String {
        path.map { component -> String in
            switch component {
            case .key(let key):
                return "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let index): return "/\(index)"
            }
        }.joined()
    }
}
