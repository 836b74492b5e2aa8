/// Keyed access to a mapping node; see `NodeDecoder`.
struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let entries: [SourceEntry]

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    private func entry(_ key: Key) -> SourceEntry? {
        decoder.ask(key.stringValue)
        return entries.first { $0.key == key.stringValue }
    }

    func contains(_ key: Key) -> Bool {
        entry(key) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let entry = entry(key) else { return true }
        if case .null = entry.value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let childPath = decoder.path + [.key(key.stringValue)]
        guard let entry = entry(key) else {
            decoder.record(
                childPath, decoder.node.position ?? decoder.position,
                "missing required key \"\(key.stringValue)\"")
            return try decoder.placeholder(T.self)
        }
        return try decoder.decodeChild(
            T.self, node: entry.value, path: childPath,
            position: entry.keyPosition ?? entry.value.position)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let entry = entry(key) else { return nil }
        if case .null = entry.value { return nil }
        do {
            return try decoder.decodeChild(
                T.self, node: entry.value, path: decoder.path + [.key(key.stringValue)],
                position: entry.keyPosition ?? entry.value.position)
        } catch is ReportedProblem {
            return nil
        }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type as Float.Type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { Int8(clamping: try decode(Int.self, key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { Int16(clamping: try decode(Int.self, key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { Int32(clamping: try decode(Int.self, key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { Int64(try decode(Int.self, key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { UInt(clamping: try decode(Int.self, key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { UInt8(clamping: try decode(Int.self, key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { UInt16(clamping: try decode(Int.self, key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { UInt32(clamping: try decode(Int.self, key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { UInt64(clamping: try decode(Int.self, key)) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try superDecoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        decoder
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let value = entry(key)?.value ?? .null(nil)
        return NodeDecoder(
            node: value, path: decoder.path + [.key(key.stringValue)], position: value.position,
            session: decoder.session, silent: decoder.silent)
    }
}
