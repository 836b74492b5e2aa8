import Foundation
import Yams

/// A line and column in a tenant file (both from 1).
struct SourcePosition: Sendable, Equatable {
    let line: Int
    let column: Int
}

/// How a scalar was written, which decides the types it may be read as.
enum ScalarStyle: Sendable, Equatable {
    /// Unquoted YAML: a string, a number or a boolean.
    case plain
    /// Quoted or block YAML: always a string.
    case quoted
    /// A JSON string.
    case jsonString
    /// A JSON number.
    case jsonNumber
    /// A JSON `true`/`false`.
    case jsonBool
}

/// One key and its value in a mapping, with where the key was written.
struct SourceEntry: Sendable {
    let key: String
    let keyPosition: SourcePosition?
    let value: SourceNode
}

/// A parsed YAML or JSON document with source positions, independent of Yams's types.
indirect enum SourceNode: Sendable {
    case scalar(String, ScalarStyle, SourcePosition?)
    case mapping([SourceEntry], SourcePosition?)
    case sequence([SourceNode], SourcePosition?)
    case null(SourcePosition?)

    /// Where the node starts.
    var position: SourcePosition? {
        switch self {
        case .scalar(_, _, let position), .mapping(_, let position),
            .sequence(_, let position), .null(let position):
            return position
        }
    }

    /// `a string "x"`, `a number 3`, `a mapping`…, for messages.
    var kindDescription: String {
        switch self {
        case .scalar(let text, let style, _):
            switch style {
            case .jsonNumber: return "a number \(text)"
            case .jsonBool: return "a boolean \(text)"
            default: return "\"\(text)\""
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .null: return "null"
        }
    }

    /// Converts a Yams node.
    init(yaml node: Node) {
        let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, node.null != nil {
                self = .null(position)
            } else {
                self = .scalar(scalar.string, scalar.style == .plain ? .plain : .quoted, position)
            }
        case .mapping(let mapping):
            self = .mapping(
                mapping.map { pair in
                    SourceEntry(
                        key: pair.key.string ?? "\(pair.key)",
                        keyPosition: pair.key.mark.map { SourcePosition(line: $0.line, column: $0.column) },
                        value: SourceNode(yaml: pair.value))
                }, position)
        case .sequence(let sequence):
            self = .sequence(sequence.map { SourceNode(yaml: $0) }, position)
        case .alias:
            self = .null(position)
        }
    }

    /// The position to report for `path`: the key's position for a mapping entry, the
    /// element's for a list item; the deepest existing ancestor when the path goes further.
    func position(at path: [PathComponent]) -> SourcePosition? {
        var node = self
        var best = position
        for component in path {
            switch (component, node) {
            case (.key(let key), .mapping(let entries, _)):
                guard let entry = entries.first(where: { $0.key == key }) else { return best }
                best = entry.keyPosition ?? entry.value.position ?? best
                node = entry.value
            case (.index(let index), .sequence(let elements, _)):
                guard elements.indices.contains(index) else { return best }
                node = elements[index]
                best = node.position ?? best
            default:
                return best
            }
        }
        return best
    }
}

/// A JSON document read through `JSONDecoder`, which keeps booleans and numbers apart.
struct JSONSourceTree: Decodable {
    let node: SourceNode

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            let keys = object.allKeys.sorted { $0.stringValue < $1.stringValue }
            node = .mapping(
                try keys.map { key in
                    SourceEntry(
                        key: key.stringValue, keyPosition: nil,
                        value: try object.decode(JSONSourceTree.self, forKey: key).node)
                }, nil)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [SourceNode] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONSourceTree.self).node) }
            node = .sequence(elements, nil)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                node = .null(nil)
            } else if let flag = try? value.decode(Bool.self) {
                node = .scalar(flag ? "true" : "false", .jsonBool, nil)
            } else if let number = try? value.decode(Double.self) {
                node = .scalar(JSONSourceTree.format(number), .jsonNumber, nil)
            } else {
                node = .scalar(try value.decode(String.self), .jsonString, nil)
            }
        }
    }

    private static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }
}

/// A coding key made from any string or index.
struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
