/// A `Decoder` over a `SourceNode` that records every problem (wrong type, missing key,
/// unknown key, bad value) with its path and position instead of stopping at the first one.
///
/// Keys are "known" when the type being decoded asks for them (the synthesized `Codable`
/// code asks for every key it has, present or not); any other key of a mapping is reported
/// as unknown after the type has decoded.
final class NodeDecoder: Decoder {
    let node: SourceNode
    let path: [PathComponent]
    let position: SourcePosition?
    let session: DecodeSession
    let silent: Bool
    private var askedKeys: [String] = []
    private var askedSet: Set<String> = []
    private var usedAsMapping = false

    init(
        node: SourceNode, path: [PathComponent], position: SourcePosition?, session: DecodeSession,
        silent: Bool = false
    ) {
        self.node = node
        self.path = path
        self.position = position
        self.session = session
        self.silent = silent
    }

    var codingPath: [any CodingKey] { path.map(\.codingKey) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .mapping(let entries, _) = node {
            usedAsMapping = true
            return KeyedDecodingContainer(NodeKeyedContainer<Key>(decoder: self, entries: entries))
        }
        guard silent else { throw mismatch("expected a mapping, got \(node.kindDescription)") }
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(decoder: self, entries: []))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        if case .sequence(let elements, _) = node {
            return NodeUnkeyedContainer(decoder: self, elements: elements)
        }
        guard silent else { throw mismatch("expected a list, got \(node.kindDescription)") }
        return NodeUnkeyedContainer(decoder: self, elements: [])
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeSingleValueContainer(decoder: self)
    }

    func ask(_ key: String) {
        if askedSet.insert(key).inserted { askedKeys.append(key) }
    }

    func mismatch(_ message: String) -> DecodingError {
        DecodingError.typeMismatch(Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: message))
    }

    func record(_ path: [PathComponent], _ position: SourcePosition?, _ message: String) {
        if !silent { session.record(path, position, message) }
    }

    /// Reports the keys of this mapping that the decoded type did not ask for.
    func reportUnknownKeys() {
        guard usedAsMapping, case .mapping(let entries, _) = node else { return }
        for entry in entries where !askedSet.contains(entry.key) {
            record(
                path + [.key(entry.key)], entry.keyPosition,
                "unknown key \"\(entry.key)\"; expected one of \(askedKeys.joined(separator: ", "))")
        }
    }

    /// Decodes a child node, recording problems; returns a placeholder after a problem when
    /// it can, else throws `ReportedProblem`.
    func decodeChild<T: Decodable>(
        _ type: T.Type, node child: SourceNode, path childPath: [PathComponent],
        position childPosition: SourcePosition?
    ) throws -> T {
        if let scalarType = T.self as? any ScalarDecodable.Type {
            if let value = scalarType.read(child) as? T { return value }
            record(childPath, childPosition, scalarType.mismatchMessage(child))
            return scalarType.boxedPlaceholder as! T
        }
        let decoder = NodeDecoder(
            node: child, path: childPath, position: childPosition, session: session,
            silent: silent)
        do {
            let value = try T(from: decoder)
            decoder.reportUnknownKeys()
            return value
        } catch is ReportedProblem {
            return try placeholder(T.self)
        } catch let error as DecodingError {
            record(childPath, childPosition, NodeDecoder.message(of: error))
            return try placeholder(T.self)
        }
    }

    /// A stand-in value of `T`, or `ReportedProblem` when there is none.
    func placeholder<T: Decodable>(_ type: T.Type) throws -> T {
        if let provider = T.self as? any PlaceholderProviding.Type { return provider.placeholder as! T }
        if let keyword = T.self as? any PolicyKeyword.Type, let value = firstKeyword(keyword) as? T { return value }
        if let scalarType = T.self as? any ScalarDecodable.Type { return scalarType.boxedPlaceholder as! T }
        let empty = NodeDecoder(node: .null(nil), path: path, position: position, session: session, silent: true)
        if let value = try? T(from: empty) { return value }
        throw ReportedProblem()
    }

    static func message(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context), .dataCorrupted(let context):
            return context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
