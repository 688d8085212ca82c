/// Writes JSON values as text.
public struct JSONSerializer: Sendable {
    /// The separator after an array item or object member (`","` or `", "`).
    public var itemSeparator: String
    /// The separator between a key and its value (`":"` or `": "`).
    public var keySeparator: String

    /// Compact output: `{"a":[1,2]}`.
    public static let compact = JSONSerializer(itemSeparator: ",", keySeparator: ":")
    /// Python's `json.dumps` default spacing: `{"a": [1, 2]}`.
    public static let spaced = JSONSerializer(itemSeparator: ", ", keySeparator: ": ")

    /// A serializer with the given separators.
    public init(itemSeparator: String, keySeparator: String) {
        self.itemSeparator = itemSeparator
        self.keySeparator = keySeparator
    }

    /// The text of `value`. Strings are written with raw UTF-8, escaping only `"`, `\` and
    /// control characters (short escapes where JSON has them, else `\u00XX`); numbers keep
    /// their source spelling.
    public func serialize(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.text
        case .string(let s): JSONSerializer.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += itemSeparator }
                write(item, into: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (i, member) in object.members.enumerated() {
                if i > 0 { out += itemSeparator }
                JSONSerializer.writeString(member.key, into: &out)
                out += keySeparator
                write(member.value, into: &out)
            }
            out += "}"
        }
    }

    /// Appends `s` as a JSON string literal.
    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0..<0x20: out += "\\u" + hex(scalar.value, width: 4).lowercased()
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
