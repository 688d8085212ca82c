/// A strict RFC 8259 JSON parser that keeps object member order and number spelling.
///
/// Errors are `GrammarError.malformedJSON` with the byte offset, line and column. Nesting is
/// bounded by `maxDepth`, so hostile input cannot exhaust the stack.
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int

    /// A parser accepting nesting up to `maxDepth` levels.
    public init(maxDepth: Int = 512) { self.maxDepth = maxDepth }

    /// Parses one JSON value filling all of `text` (surrounding whitespace allowed).
    public func parse(_ text: String) throws(GrammarError) -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses one JSON value filling all of `bytes` (surrounding whitespace allowed; a UTF-8 BOM is skipped).
    public func parse(bytes: UnsafeBufferPointer<UInt8>) throws(GrammarError) -> JSONValue {
        var scanner = Scanner(bytes: bytes, maxDepth: maxDepth)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { scanner.position = 3 }
        scanner.skipWhitespace()
        let value = try scanner.value(depth: 0)
        scanner.skipWhitespace()
        if scanner.position != bytes.count { throw scanner.error("unexpected text after the JSON value") }
        return value
    }

    /// Parses a JSON value from raw bytes.
    public func parse(bytes: [UInt8]) throws(GrammarError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(GrammarError) in try parse(bytes: buffer) }
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        func error(_ message: String, at offset: Int? = nil) -> GrammarError {
            let offset = min(offset ?? position, bytes.count)
            var line = 1, column = 1
            for i in 0..<offset {
                if bytes[i] == 0x0A { line += 1; column = 1 } else { column += 1 }
            }
            return GrammarError(.malformedJSON, message, at: .offset(offset, line: line, column: column))
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(GrammarError) -> JSONValue {
            guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try keyword("true"); return .bool(true)
            case UInt8(ascii: "f"): try keyword("false"); return .bool(false)
            case UInt8(ascii: "n"): try keyword("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("unexpected character, expected a value")
            }
        }

        mutating func keyword(_ word: StaticString) throws(GrammarError) {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw error("invalid literal") }
            let p = word.utf8Start
            for i in 0..<count where bytes[position + i] != p[i] { throw error("invalid literal") }
            position += count
        }

        mutating func object(depth: Int) throws(GrammarError) -> JSONValue {
            guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
            position += 1
            var object = JSONObject()
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(object) }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a string key")
                }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
                position += 1
                skipWhitespace()
                object[key] = try value(depth: depth)
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(object) }
                throw error("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(GrammarError) -> JSONValue {
            guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        }

        mutating func number() throws(GrammarError) -> JSONNumber {
            let start = position
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                    UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                    position += 1
                default:
                    break
                }
                if position < bytes.count, !Scanner.isNumberByte(bytes[position]) { break }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let n = JSONNumber(text) else { throw error("invalid number '\(text)'", at: start) }
            return n
        }

        static func isNumberByte(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                return true
            default: return false
            }
        }

        mutating func hex4() throws(GrammarError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                let d: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - 55)
                default: throw error("invalid hex digit in \\u escape")
                }
                v = v << 4 | d
                position += 1
            }
            return v
        }

        mutating func string() throws(GrammarError) -> String {
            position += 1
            let start = position
            // Fast path: no escapes.
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    guard let s = String(validating: raw, as: UTF8.self) else {
                        throw error("invalid UTF-8 in string", at: start)
                    }
                    return s
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw error("unescaped control character in string") }
                position += 1
            }
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while true {
                guard position < bytes.count else { throw error("unterminated string", at: start - 1) }
                let b = bytes[position]
                if b == UInt8(ascii: "\"") { position += 1; break }
                if b < 0x20 { throw error("unescaped control character in string") }
                if b != UInt8(ascii: "\\") { out.append(b); position += 1; continue }
                position += 1
                guard position < bytes.count else { throw error("unterminated escape") }
                let e = bytes[position]
                position += 1
                if let byte = JSONEscape.byte(escapedBy: e) { out.append(byte); continue }
                guard e == UInt8(ascii: "u") else {
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: position - 2)
                }
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar), position + 6 <= bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    let save = position
                    position += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = JSONEscape.scalarValue(high: scalar, low: low)
                    } else {
                        position = save
                    }
                }
                // Lone surrogates become U+FFFD: Swift strings hold only scalars.
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(s).utf8)
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in string", at: start) }
            return s
        }
    }
}

extension JSONValue {
    /// Parses `text` as one strict JSON value.
    public init(parsing text: String) throws(GrammarError) {
        self = try JSONParser().parse(text)
    }
}
