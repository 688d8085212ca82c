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
        guard pointer.hasPrefix("/") else { return nil }
        var result: [String] = []
        for bytes in pointer.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            let raw = Substring(bytes)
            if !bytes.contains(UInt8(ascii: "~")) {
                result.append(String(raw))
                continue
            }
            var token = ""
            var escaping = false
            for character in raw {
                if escaping {
                    switch character {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                    escaping = false
                } else if character == "~" {
                    escaping = true
                } else {
                    token.append(character)
                }
            }
            if escaping { return nil }
            result.append(token)
        }
        return result
    }

    /// `text` with `%XX` escapes decoded as UTF-8; nil if an escape is malformed or the bytes
    /// are not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
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
