/// Problems found by the validator, in order.
struct ProblemList {
    private(set) var items: [([PathComponent], String)] = []

    mutating func add(_ path: [PathComponent], _ message: String) {
        items.append((path, message))
    }

    /// Reports every repeated value of `values` at its index under `path`.
    mutating func duplicates(_ values: [String], path: [PathComponent], what: String, key: String? = nil) {
        var seen: [String: Int] = [:]
        for (index, value) in values.enumerated() {
            if let first = seen[value] {
                var at = path + [.index(index)]
                if let key { at.append(.key(key)) }
                add(at, "duplicate \(what) \"\(value)\" (first at index \(first)); expected each to be unique")
            } else {
                seen[value] = index
            }
        }
    }
}
