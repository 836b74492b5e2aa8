import Foundation
import Postgres

/// A line-by-line difference of two policies' JSON, as `- path: old` / `+ path: new` lines.
enum PolicyDiff {
    static func lines(from old: JSONText, to new: JSONText) -> [String] {
        let before = flatten(parse(old))
        let after = flatten(parse(new))
        var lines: [String] = []
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            if let value = before[key] { lines.append("- \(key): \(value)") }
            if let value = after[key] { lines.append("+ \(key): \(value)") }
        }
        return lines
    }

    private static func parse(_ json: JSONText) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(json.text.utf8), options: [.fragmentsAllowed])) ?? NSNull()
    }

    /// Leaf values by JSON pointer.
    private static func flatten(_ value: Any, path: String = "") -> [String: String] {
        if let object = value as? [String: Any] {
            return object.reduce(into: [:]) { result, entry in
                result.merge(flatten(entry.value, path: path + "/" + entry.key)) { first, _ in first }
            }
        }
        if let array = value as? [Any] {
            return array.enumerated().reduce(into: [:]) { result, entry in
                result.merge(flatten(entry.element, path: path + "/\(entry.offset)")) { first, _ in first }
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])) ?? Data()
        return [path.isEmpty ? "/" : path: String(decoding: data, as: UTF8.self)]
    }
}
