import Grammar

/// Whether a JSON text read so far may still become a spelling of a given value: whitespace
/// anywhere JSON allows it, numbers in any notation of the same mathematical value (`1`,
/// `1.0`, `10e-1`), strings with any escapes, object members in any order.
///
/// `UniqueElementCompletion` reads it to stop looking as soon as an element's text can no
/// longer equal any earlier element: it may answer true for a text that cannot (only inside an
/// unfinished `\u` escape), never false for one that can.
enum JSONSpellingPrefix {
    /// Whether `text` (the start of one JSON value, whitespace before it allowed) is a prefix
    /// of some spelling of `value`.
    static func mayExtend(_ text: some Collection<UInt8>, to value: JSONValue) -> Bool {
        let bytes = Array(text)
        switch match(value, bytes, from: 0) {
        case .mismatch: return false
        case .exhausted: return true
        case .matched(let end): return skipWhitespace(bytes, from: end) == bytes.count
        }
    }

    /// The unescaped content of the unfinished string `text` (its opening quote first), or nil
    /// when it is closed or ends inside an escape.
    static func unfinishedStringContent(_ text: [UInt8]) -> [UInt8]? {
        guard text.first == UInt8(ascii: "\"") else { return nil }
        let scanned = scanString(text, from: 1)
        return scanned.end == nil ? scanned.content : nil
    }

    /// How a part of the text compares with a value.
    private enum Outcome {
        /// It cannot be the start of any spelling of the value.
        case mismatch
        /// The text ends before the value does, consistently with it.
        case exhausted
        /// A whole spelling of the value ends at this index.
        case matched(Int)
    }

    private static func match(_ value: JSONValue, _ text: [UInt8], from start: Int) -> Outcome {
        let i = skipWhitespace(text, from: start)
        guard i < text.count else { return .exhausted }
        switch value {
        case .null: return literal("null", text, from: i)
        case .bool(let b): return literal(b ? "true" : "false", text, from: i)
        case .string(let s): return string(Array(s.utf8), text, from: i)
        case .number(let n): return number(n, text, from: i)
        case .array(let elements):
            guard text[i] == UInt8(ascii: "[") else { return .mismatch }
            var j = i + 1
            for (k, element) in elements.enumerated() {
                if k > 0 {
                    j = skipWhitespace(text, from: j)
                    guard j < text.count else { return .exhausted }
                    guard text[j] == UInt8(ascii: ",") else { return .mismatch }
                    j += 1
                }
                switch match(element, text, from: j) {
                case .mismatch: return .mismatch
                case .exhausted: return .exhausted
                case .matched(let end): j = end
                }
            }
            j = skipWhitespace(text, from: j)
            guard j < text.count else { return .exhausted }
            return text[j] == UInt8(ascii: "]") ? .matched(j + 1) : .mismatch
        case .object(let object):
            guard text[i] == UInt8(ascii: "{") else { return .mismatch }
            let members = object.members   // names compared as UTF-8 in place (no copy per call)
            var matched = Array(repeating: false, count: members.count)
            var j = i + 1
            while true {
                j = skipWhitespace(text, from: j)
                guard j < text.count else { return .exhausted }
                if text[j] == UInt8(ascii: "}") {
                    return matched.allSatisfy { $0 } ? .matched(j + 1) : .mismatch
                }
                if matched.contains(true) {
                    guard text[j] == UInt8(ascii: ",") else { return .mismatch }
                    j = skipWhitespace(text, from: j + 1)
                    guard j < text.count else { return .exhausted }
                }
                guard text[j] == UInt8(ascii: "\"") else { return .mismatch }
                // The name: an unmatched member whose name it spells or begins.
                let scanned = scanString(text, from: j + 1)
                guard let name = scanned.content else { return .exhausted }
                guard let end = scanned.end else {
                    let open = members.indices.contains { !matched[$0] && members[$0].key.utf8.starts(with: name) }
                    return open ? .exhausted : .mismatch
                }
                guard let member = members.indices.first(where: { !matched[$0] && members[$0].key.utf8.elementsEqual(name) }) else {
                    return .mismatch
                }
                matched[member] = true
                j = skipWhitespace(text, from: end)
                guard j < text.count else { return .exhausted }
                guard text[j] == UInt8(ascii: ":") else { return .mismatch }
                switch match(members[member].value, text, from: j + 1) {
                case .mismatch: return .mismatch
                case .exhausted: return .exhausted
                case .matched(let valueEnd): j = valueEnd
                }
            }
        }
    }

    private static func literal(_ word: StaticString, _ text: [UInt8], from i: Int) -> Outcome {
        let letters = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for (k, letter) in letters.enumerated() {
            guard i + k < text.count else { return .exhausted }
            if text[i + k] != letter { return .mismatch }
        }
        return .matched(i + letters.count)
    }

    private static func string(_ expected: [UInt8], _ text: [UInt8], from i: Int) -> Outcome {
        guard text[i] == UInt8(ascii: "\"") else { return .mismatch }
        let scanned = scanString(text, from: i + 1)
        guard let content = scanned.content else { return .exhausted }
        guard let end = scanned.end else { return expected.starts(with: content) ? .exhausted : .mismatch }
        return content == expected ? .matched(end) : .mismatch
    }

    /// The unescaped bytes of the string whose content starts at `start`, and the index after
    /// its closing quote (nil when the text ends first). Content nil: the text ends inside an
    /// escape, or holds one that is not a scalar (a lone surrogate), so nothing is known.
    private static func scanString(_ text: [UInt8], from start: Int) -> (content: [UInt8]?, end: Int?) {
        var content: [UInt8] = []
        var j = start
        while j < text.count {
            let byte = text[j]
            if byte == UInt8(ascii: "\"") { return (content, j + 1) }
            guard byte == UInt8(ascii: "\\") else {
                content.append(byte)
                j += 1
                continue
            }
            guard j + 1 < text.count else { return (nil, nil) }
            let escape = text[j + 1]
            j += 2
            guard escape == UInt8(ascii: "u") else {
                content.append(JSONKeyTracker.unescaped(escape) ?? escape)
                continue
            }
            guard let high = hex4(text, from: j) else { return (nil, nil) }
            j += 4
            var scalar = high
            if (0xD800..<0xDC00).contains(high) {
                guard j + 1 < text.count, text[j] == UInt8(ascii: "\\"), text[j + 1] == UInt8(ascii: "u"),
                      let low = hex4(text, from: j + 2), (0xDC00..<0xE000).contains(low) else { return (nil, nil) }
                j += 6
                scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let s = Unicode.Scalar(scalar) else { return (nil, nil) }
            content.append(contentsOf: Array(String(Character(s)).utf8))
        }
        return (content, nil)
    }

    private static func hex4(_ text: [UInt8], from start: Int) -> UInt32? {
        guard start + 4 <= text.count else { return nil }
        var value: UInt32 = 0
        for byte in text[start..<start + 4] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A number: complete when a byte follows its lexeme, otherwise compared as a prefix.
    private static func number(_ n: JSONNumber, _ text: [UInt8], from i: Int) -> Outcome {
        var end = i
        while end < text.count, JSONCanonicalKey.isNumberByte(text[end]) { end += 1 }
        guard end > i else { return .mismatch }
        if end < text.count {
            guard let read = JSONNumber(String(decoding: text[i..<end], as: UTF8.self)) else { return .mismatch }
            return read == n ? .matched(end) : .mismatch
        }
        return numberPrefix(text[i..<end], mayEqual: n) ? .exhausted : .mismatch
    }

    /// Whether some number lexeme starting with `prefix` has the value `n`.
    static func numberPrefix(_ prefix: ArraySlice<UInt8>, mayEqual n: JSONNumber) -> Bool {
        var i = prefix.startIndex
        let negative = i < prefix.endIndex && prefix[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        if !n.isZero && negative != n.isNegative { return false }
        var mantissa: [UInt8] = []
        var fractionDigits = 0
        var inFraction = false
        while i < prefix.endIndex, prefix[i] != UInt8(ascii: "e"), prefix[i] != UInt8(ascii: "E") {
            let byte = prefix[i]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                mantissa.append(byte - UInt8(ascii: "0"))
                if inFraction { fractionDigits += 1 }
            } else {
                return false
            }
            i += 1
        }
        let firstSignificant = mantissa.firstIndex { $0 != 0 } ?? mantissa.count
        let significant = mantissa[firstSignificant...]
        var lastSignificant = significant.endIndex
        while lastSignificant > significant.startIndex, significant[lastSignificant - 1] == 0 { lastSignificant -= 1 }
        let stripped = significant[..<lastSignificant]
        guard i < prefix.endIndex else {
            // More digits and any exponent may follow: the digits so far must begin n's.
            if significant.isEmpty { return true }
            return stripped.elementsEqual(n.digits) || n.digits.starts(with: significant)
        }
        // The mantissa is complete: zero stays zero, otherwise the digits must be n's and the
        // exponent the one that scales them to n.
        if stripped.isEmpty { return n.isZero }
        guard stripped.elementsEqual(n.digits) else { return false }
        let trailingZeros = significant.count - stripped.count
        let needed = n.exponent + fractionDigits - trailingZeros
        i += 1
        var exponentNegative = false
        var signed = false
        if i < prefix.endIndex, prefix[i] == UInt8(ascii: "+") || prefix[i] == UInt8(ascii: "-") {
            exponentNegative = prefix[i] == UInt8(ascii: "-")
            signed = true
            i += 1
        }
        let written = prefix[i...].drop { $0 == UInt8(ascii: "0") }
        if needed == 0 { return written.isEmpty }
        if signed && exponentNegative != (needed < 0) { return false }
        // Unsigned so far: a minus may still come only before the first digit.
        if !signed && needed < 0 { return i == prefix.endIndex }
        return Array(String(abs(needed)).utf8).starts(with: written)
    }

    private static func skipWhitespace(_ text: [UInt8], from start: Int) -> Int {
        var i = start
        while i < text.count, JSONCanonicalKey.isWhitespace(text[i]) { i += 1 }
        return i
    }
}
