/// Sequential access to a list node; see `NodeDecoder`.
struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let elements: [SourceNode]
    private(set) var currentIndex = 0

    init(decoder: NodeDecoder, elements: [SourceNode]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "no more elements"))
        }
        let index = currentIndex
        currentIndex += 1
        return try decoder.decodeChild(
            type, node: elements[index], path: decoder.path + [.index(index)],
            position: elements[index].position)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, ()) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(type as String.Type, ()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(type as Double.Type, ()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(type as Float.Type, ()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(type as Int.Type, ()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { Int8(clamping: try decode(Int.self, ())) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { Int16(clamping: try decode(Int.self, ())) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { Int32(clamping: try decode(Int.self, ())) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { Int64(try decode(Int.self, ())) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { UInt(clamping: try decode(Int.self, ())) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { UInt8(clamping: try decode(Int.self, ())) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { UInt16(clamping: try decode(Int.self, ())) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { UInt32(clamping: try decode(Int.self, ())) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { UInt64(clamping: try decode(Int.self, ())) }

    private mutating func decode<T: Decodable>(_ type: T.Type, _ marker: Void) throws -> T {
        try decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try superDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let index = currentIndex
        let value = isAtEnd ? SourceNode.null(nil) : elements[index]
        currentIndex += 1
        return NodeDecoder(
            node: value, path: decoder.path + [.index(index)], position: value.position,
            session: decoder.session, silent: decoder.silent)
    }
}

/// The node itself as one value; strict (throws on a mismatch) so that types can probe it.
struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.node { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let scalarType = T.self as? any ScalarDecodable.Type {
            if let value = scalarType.read(decoder.node) as? T { return value }
            if decoder.silent { return scalarType.boxedPlaceholder as! T }
            throw decoder.mismatch(scalarType.mismatchMessage(decoder.node))
        }
        return try T(from: decoder)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, ()) }
    func decode(_ type: String.Type) throws -> String { try decode(type as String.Type, ()) }
    func decode(_ type: Double.Type) throws -> Double { try decode(type as Double.Type, ()) }
    func decode(_ type: Float.Type) throws -> Float { try decode(type as Float.Type, ()) }
    func decode(_ type: Int.Type) throws -> Int { try decode(type as Int.Type, ()) }
    func decode(_ type: Int8.Type) throws -> Int8 { Int8(clamping: try decode(Int.self, ())) }
    func decode(_ type: Int16.Type) throws -> Int16 { Int16(clamping: try decode(Int.self, ())) }
    func decode(_ type: Int32.Type) throws -> Int32 { Int32(clamping: try decode(Int.self, ())) }
    func decode(_ type: Int64.Type) throws -> Int64 { Int64(try decode(Int.self, ())) }
    func decode(_ type: UInt.Type) throws -> UInt { UInt(clamping: try decode(Int.self, ())) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { UInt8(clamping: try decode(Int.self, ())) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { UInt16(clamping: try decode(Int.self, ())) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { UInt32(clamping: try decode(Int.self, ())) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { UInt64(clamping: try decode(Int.self, ())) }

    private func decode<T: Decodable>(_ type: T.Type, _ marker: Void) throws -> T {
        try decode(type)
    }
}
