/// A JSON document, with object members kept in source order and numbers kept exactly.
///
/// Equality is JSON Schema equality: object member order does not matter and numbers compare
/// by value.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON Schema type name of the value ("integer" for whole numbers).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n.isInteger ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The member `key` when this is an object holding it.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The string, when this is one.
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    /// The object, when this is one.
    public var objectValue: JSONObject? { if case .object(let o) = self { return o }; return nil }
    /// The array, when this is one.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    /// The number, when this is one.
    public var numberValue: JSONNumber? { if case .number(let n) = self { return n }; return nil }
    /// The Boolean, when this is one.
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
}

/// A JSON object: members in source order, looked up by key (the last of duplicate keys wins).
public struct JSONObject: Hashable, Sendable, Sequence {
    /// The members in source order, keys unique.
    public private(set) var members: [(key: String, value: JSONValue)]
    private var index: [String: Int]

    /// An object with the given members, in order (a repeated key replaces the earlier value).
    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = []
        self.index = [:]
        for (k, v) in members { self[k] = v }
    }

    /// The keys in source order.
    public var keys: [String] { members.map(\.key) }
    /// The number of members.
    public var count: Int { members.count }
    /// Whether there is no member.
    public var isEmpty: Bool { members.isEmpty }

    /// The value of `key`; setting appends a new key or replaces the value in place.
    public subscript(key: String) -> JSONValue? {
        get { index[key].map { members[$0].value } }
        set {
            if let i = index[key] {
                if let newValue { members[i].value = newValue } else {
                    members.remove(at: i)
                    index = [:]
                    for (j, m) in members.enumerated() { index[m.key] = j }
                }
            } else if let newValue {
                index[key] = members.count
                members.append((key, newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        for (k, v) in a.members where b[k] != v { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (k, v) in members {
            var h = Hasher()
            h.combine(k)
            h.combine(v)
            combined ^= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}
