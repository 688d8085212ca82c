/// JSON Pointer (RFC 6901) helpers: escaping reference tokens, splitting pointers, and decoding
/// the URI fragment form used by `$ref` (`#/a~1b/%25c`).
enum JSONPointer {
    /// `pointer` followed by the reference token `token` (escaped: `~` → `~0`, `/` → `~1`).
    static func appending(_ pointer: String, _ token: String) -> String {
        if !token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) { return pointer + "/" + token }
        var escaped = pointer + "/"
        for character in token {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `pointer` followed by the index `index`.
    static func appending(_ pointer: String, _ index: Int) -> String { pointer + "/" + String(index) }

    /// The unescaped reference tokens of `pointer`; nil unless it is empty or starts with `/`
    /// and every `~` is followed by `0` or `1`.
    static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        var pointer = pointer
        // One pass over the contiguous UTF-8: locations are resolved many times per schema.
        return pointer.withUTF8 { bytes -> [String]? in
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            var result: [String] = []
            var start = 1
            while true {
                var end = start
                var escaped = false
                while end < bytes.count, bytes[end] != UInt8(ascii: "/") {
                    if bytes[end] == UInt8(ascii: "~") { escaped = true }
                    end += 1
                }
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if escaped {
                    guard let token = unescaped(raw) else { return nil }
                    result.append(token)
                } else {
                    result.append(String(decoding: raw, as: UTF8.self))
                }
                guard end < bytes.count else { return result }
                start = end + 1
            }
        }
    }

    /// A reference token with `~0` → `~` and `~1` → `/`; nil if a `~` is followed by anything else.
    private static func unescaped(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var token: [UInt8] = []
        token.reserveCapacity(raw.count)
        var escaping = false
        for byte in raw {
            if escaping {
                switch byte {
                case UInt8(ascii: "0"): token.append(UInt8(ascii: "~"))
                case UInt8(ascii: "1"): token.append(UInt8(ascii: "/"))
                default: return nil
                }
                escaping = false
            } else if byte == UInt8(ascii: "~") {
                escaping = true
            } else {
                token.append(byte)
            }
        }
        return escaping ? nil : String(decoding: token, as: UTF8.self)
    }

    /// `text` with `%XX` escapes decoded as UTF-8; nil if an escape is malformed or the bytes
    /// are not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        if !text.utf8.contains(UInt8(ascii: "%")) { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The value of one hexadecimal digit byte.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
