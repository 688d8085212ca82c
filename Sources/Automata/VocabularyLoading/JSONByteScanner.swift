import Grammar

/// A strict pull scanner over JSON bytes, for tokenizer files too large to build a tree of.
///
/// Readers walk the document with it: they open objects and arrays, read the members they
/// need straight into byte buffers, and skip the rest (`skipValue` still checks the skipped
/// text is valid JSON, except that it does not check UTF-8 inside skipped strings). Strings that
/// are read are checked to be well-formed UTF-8. Errors carry the byte offset and line.
struct JSONByteScanner {
    /// The whole document.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next unread byte.
    var position: Int
    /// The deepest nesting of arrays and objects `skipValue` accepts.
    static let maxDepth = 512

    /// A scanner at the start of `bytes`, after a UTF-8 byte order mark if there is one.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        self.position = hasBOM ? 3 : 0
    }

    // MARK: Errors

    /// An error of kind `code` at `offset` (default: the current position), with its line.
    func failure(_ code: VocabularyError.Code, _ message: String, at offset: Int? = nil) -> VocabularyError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        for i in 0..<offset where bytes[i] == 0x0A { line += 1 }
        return VocabularyError(code, message, line: line, offset: offset)
    }

    /// A syntax error at the current position.
    func syntaxError(_ message: String) -> VocabularyError {
        failure(.malformedJSON, position < bytes.count ? message : "unexpected end of input, \(message)")
    }

    /// A shape error for a value of the wrong JSON type at the current position.
    func shapeError(_ what: String, expected: String) -> VocabularyError {
        guard position < bytes.count else { return syntaxError("expected a value for \(what)") }
        return failure(.unexpectedShape, "\(what) must be \(expected)")
    }

    // MARK: Structure

    /// Skips JSON whitespace (runs of spaces, as in indentation, 8 bytes at a time).
    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09:
                position += 1
                while position + 8 <= bytes.count {
                    let notSpace = word(at: position) ^ 0x2020_2020_2020_2020
                    position += notSpace.trailingZeroBitCount >> 3
                    if notSpace != 0 { break }
                }
            default: return
            }
        }
    }

    /// The 8 bytes at `offset` (at most `bytes.count - 8`), the first in the low byte.
    @inline(__always)
    private func word(at offset: Int) -> UInt64 {
        Self.word(bytes.baseAddress.unsafelyUnwrapped, offset)
    }

    /// Skips string bytes that need no attention (not `"`, `\\` or a control character) 8 at a
    /// time, from the current position; returns whether any of them is non-ASCII.
    @inline(__always)
    private mutating func skipPlainStringBytes() -> Bool {
        var nonASCII: UInt64 = 0
        while position + 8 <= bytes.count {
            let w = word(at: position)
            let special = Self.zeroBytes(w ^ 0x2222_2222_2222_2222) | Self.zeroBytes(w ^ 0x5C5C_5C5C_5C5C_5C5C)
                | (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            let plainCount = special.trailingZeroBitCount >> 3   // 8 when none
            // Only the high bits of the plain bytes count.
            nonASCII |= w & (plainCount == 8 ? 0x8080_8080_8080_8080 : ((1 << (8 * UInt64(plainCount))) &- 1) & 0x8080_8080_8080_8080)
            position += plainCount
            if special != 0 { break }
        }
        return nonASCII != 0
    }

    /// The high bit of each byte of `w` that is zero, and maybe of bytes above the lowest zero
    /// one (so only the lowest flag is exact).
    @inline(__always)
    static func zeroBytes(_ w: UInt64) -> UInt64 {
        (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
    }

    /// The next non-whitespace byte, not consumed; nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// The offset of the next value (after whitespace), for error locations.
    mutating func valueStart() -> Int {
        skipWhitespace()
        return position
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool { peek() == nil }

    /// Consumes `{`; `what` names the value in the shape error otherwise.
    mutating func beginObject(_ what: String) throws(VocabularyError) {
        guard peek() == UInt8(ascii: "{") else { throw shapeError(what, expected: "an object") }
        position += 1
    }

    /// Consumes `[`; `what` names the value in the shape error otherwise.
    mutating func beginArray(_ what: String) throws(VocabularyError) {
        guard peek() == UInt8(ascii: "[") else { throw shapeError(what, expected: "an array") }
        position += 1
    }

    /// Moves to the next member of an open object: true before a key, false after the closing `}`.
    /// `first` must start true for each object.
    mutating func nextMember(_ first: inout Bool) throws(VocabularyError) -> Bool {
        try next(&first, close: UInt8(ascii: "}"), "expected ',' or '}' in an object")
    }

    /// Moves to the next element of an open array: true before a value, false after the closing `]`.
    /// `first` must start true for each array.
    mutating func nextElement(_ first: inout Bool) throws(VocabularyError) -> Bool {
        try next(&first, close: UInt8(ascii: "]"), "expected ',' or ']' in an array")
    }

    private mutating func next(_ first: inout Bool, close: UInt8, _ message: String) throws(VocabularyError) -> Bool {
        let b = peek()
        if b == close { position += 1; return false }
        if first {
            guard b != nil else { throw syntaxError(message) }
            first = false
            return true
        }
        guard b == UInt8(ascii: ",") else { throw syntaxError(message) }
        position += 1
        skipWhitespace()
        return true
    }

    /// Reads a member key and its `:`, appending the key's bytes to `out`.
    mutating func key(appendingTo out: inout [UInt8]) throws(VocabularyError) {
        guard peek() == UInt8(ascii: "\"") else { throw syntaxError("expected a string key") }
        try string(appendingTo: &out)
        guard peek() == UInt8(ascii: ":") else { throw syntaxError("expected ':' after a key") }
        position += 1
    }

    /// Reads a member `"key": integer` whose key has no escape and whose value is a plain
    /// non-negative integer of at most 18 digits (nearly every member of a `model.vocab`):
    /// returns the key's bytes (in the document) and the integer. Returns nil, with nothing
    /// read, for any other member: `key(appendingTo:)` and `integer(_:)` then read it (and report
    /// what is wrong with it). One pass with no error paths, several times faster.
    mutating func plainKeyedInteger() -> (key: UnsafeBufferPointer<UInt8>, value: Int)? {
        let start = position
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        position += 1
        let keyStart = position
        var nonASCII = skipPlainStringBytes()
        // The last few bytes of the key, one at a time.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            if b >= 0x80 { nonASCII = true }
            position += 1
        }
        let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<position])
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), !nonASCII || UTF8Validation.isValid(key) else {
            position = start
            return nil
        }
        position += 1
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            position = start
            return nil
        }
        position += 1
        skipWhitespace()
        let digitsStart = position
        var value = 0
        while position < bytes.count {
            let digit = bytes[position] &- UInt8(ascii: "0")
            if digit > 9 { break }
            value = value &* 10 &+ Int(digit)
            position += 1
        }
        let digits = position - digitsStart
        let next = position < bytes.count ? bytes[position] : 0
        guard digits > 0, digits <= 18, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0"),
              next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e") else {
            position = start
            return nil
        }
        return (key, value)
    }

    /// Reads a member key and its `:`, returning the index of the key in `names` (nil for another key).
    mutating func key(among names: [[UInt8]]) throws(VocabularyError) -> Int? {
        guard peek() == UInt8(ascii: "\"") else { throw syntaxError("expected a string key") }
        let index: Int?
        if let raw = try plainString() {
            index = names.firstIndex { $0.count == raw.count && $0.elementsEqual(raw) }
        } else {
            var decoded: [UInt8] = []
            try string(appendingTo: &decoded)
            index = names.firstIndex(of: decoded)
        }
        guard peek() == UInt8(ascii: ":") else { throw syntaxError("expected ':' after a key") }
        position += 1
        return index
    }

    /// Reads a member key and its `:`.
    mutating func key() throws(VocabularyError) -> String {
        var bytes: [UInt8] = []
        try key(appendingTo: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Scalars

    /// Consumes `null` if it comes next; false (nothing consumed) otherwise.
    mutating func null() throws(VocabularyError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Reads `true` or `false`; `what` names the value in the shape error otherwise.
    mutating func bool(_ what: String) throws(VocabularyError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw shapeError(what, expected: "true or false")
        }
    }

    /// Reads a string; `what` names the value in the shape error otherwise.
    mutating func string(_ what: String) throws(VocabularyError) -> String {
        var out: [UInt8] = []
        try string(what, appendingTo: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a string, appending its bytes to `out`; `what` names the value in the shape error otherwise.
    mutating func string(_ what: String, appendingTo out: inout [UInt8]) throws(VocabularyError) {
        guard peek() == UInt8(ascii: "\"") else { throw shapeError(what, expected: "a string") }
        try string(appendingTo: &out)
    }

    /// Reads a string without escapes at the current position as a span of the input; returns
    /// nil, consuming nothing, when it has escapes.
    mutating func plainString() throws(VocabularyError) -> UnsafeBufferPointer<UInt8>? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw syntaxError("expected a string")
        }
        let start = position
        position += 1
        var nonASCII = skipPlainStringBytes()
        var end = position
        position = start
        while true {
            guard end < bytes.count else { throw failure(.malformedJSON, "unterminated string") }
            let b = bytes[end]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") { return nil }
            if b < 0x20 { throw failure(.malformedJSON, "unescaped control character in a string", at: end) }
            if b >= 0x80 { nonASCII = true }
            end += 1
        }
        let span = UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end])
        guard !nonASCII || UTF8Validation.isValid(span) else { throw failure(.malformedJSON, "invalid UTF-8 in a string") }
        position = end + 1
        return span
    }

    /// Reads a string at the current position, appending its decoded UTF-8 bytes to `out`.
    mutating func string(appendingTo out: inout [UInt8]) throws(VocabularyError) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw syntaxError("expected a string")
        }
        let start = position
        let outStart = out.count
        var nonASCII = false
        position += 1
        var run = position
        while true {
            if skipPlainStringBytes() { nonASCII = true }
            guard position < bytes.count else { throw failure(.malformedJSON, "unterminated string", at: start) }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<position]))
                position += 1
                break
            }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<position]))
                try escape(appendingTo: &out)
                nonASCII = true
                run = position
                continue
            }
            if b < 0x20 { throw syntaxError("unescaped control character in a string") }
            if b >= 0x80 { nonASCII = true }
            position += 1
        }
        if nonASCII {
            let valid = out.withUnsafeBufferPointer { UTF8Validation.isValid(UnsafeBufferPointer(rebasing: $0[outStart...])) }
            guard valid else { throw failure(.malformedJSON, "invalid UTF-8 in a string", at: start) }
        }
    }

    private mutating func escape(appendingTo out: inout [UInt8]) throws(VocabularyError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw syntaxError("unterminated escape") }
        let e = bytes[position]
        position += 1
        if let byte = JSONEscape.byte(escapedBy: e) { out.append(byte); return }
        guard e == UInt8(ascii: "u") else {
            throw failure(.malformedJSON, "invalid escape in a string", at: escapeStart)
        }
        var value = try hex4()
        if (0xD800...0xDBFF).contains(value) {
            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                  bytes[position + 1] == UInt8(ascii: "u") else {
                throw failure(.malformedJSON, "lone surrogate in a \\u escape", at: escapeStart)
            }
            position += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw failure(.malformedJSON, "lone surrogate in a \\u escape", at: escapeStart)
            }
            value = JSONEscape.scalarValue(high: value, low: low)
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw failure(.malformedJSON, "lone surrogate in a \\u escape", at: escapeStart)
        }
        UTF8Validation.append(codePoint: scalar.value, to: &out)
    }

    private mutating func hex4() throws(VocabularyError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw syntaxError("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = HexDigits.value(of: bytes[position]) else {
                throw syntaxError("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Reads a JSON integer (no fraction or exponent) of at most 18 digits; `what` names the
    /// value in the shape error otherwise.
    mutating func integer(_ what: String) throws(VocabularyError) -> Int {
        guard let b = peek(), b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else {
            throw shapeError(what, expected: "an integer")
        }
        let start = position
        let negative = b == UInt8(ascii: "-")
        if negative { position += 1 }
        let digitsStart = position
        var value = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            value = value &* 10 &+ Int(bytes[position] &- UInt8(ascii: "0"))
            position += 1
        }
        let digits = position - digitsStart
        guard digits > 0, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else {
            throw failure(.malformedJSON, "invalid number", at: start)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] | 0x20 == UInt8(ascii: "e") {
            position = start
            throw shapeError(what, expected: "an integer")
        }
        guard digits <= 18 else { throw failure(.unexpectedShape, "\(what) is out of range", at: start) }
        return negative ? -value : value
    }

    // MARK: Skipping

    /// Skips one value of any type, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(VocabularyError) {
        guard let b = peek() else { throw syntaxError("expected a value") }
        switch b {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw syntaxError("nesting deeper than \(Self.maxDepth) levels") }
            position += 1
            var first = true
            var more = try nextMember(&first)
            while more {
                // Members `"key": integer` (a `model.vocab`) are most of what is skipped.
                if !skipPlainIntegerMember() {
                    guard peek() == UInt8(ascii: "\"") else { throw syntaxError("expected a string key") }
                    try skipString()
                    guard peek() == UInt8(ascii: ":") else { throw syntaxError("expected ':' after a key") }
                    position += 1
                    try skipValue(depth: depth + 1)
                }
                more = memberSeparator() ? true : try nextMember(&first)
            }
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw syntaxError("nesting deeper than \(Self.maxDepth) levels") }
            position += 1
            var first = true
            while try nextElement(&first) {
                // Arrays of strings (merges) are most of what is skipped.
                if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                    try skipStrings()
                } else {
                    try skipValue(depth: depth + 1)
                }
            }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw syntaxError("unexpected character, expected a value")
        }
    }

    /// Skips the string at the current position and the strings that follow it as elements of
    /// the same array (`, "…"`): stops after the last one, before the `,` or `]` that follows it.
    /// Escapes and control characters are checked, UTF-8 is not. (A BPE file's merges are a
    /// quarter of a million such elements.)
    private mutating func skipStrings() throws(VocabularyError) {
        let base = bytes.baseAddress.unsafelyUnwrapped
        let end = bytes.count
        var p = position
        while true {
            // Most are plain text up to the closing quote: found a word at a time, with no
            // escape or control-character handling.
            let start = p
            p += 1
            var closed = false
            while p + 8 <= end {
                let attention = Self.attentionBytes(Self.word(base, p))
                if attention == 0 { p += 8; continue }
                p += attention.trailingZeroBitCount >> 3
                closed = base[p] == UInt8(ascii: "\"")
                break
            }
            if closed {
                p += 1
            } else {
                position = start
                try skipString()
                p = position
            }
            guard p < end, base[p] == UInt8(ascii: ",") else { break }
            let next = Self.whitespaceEnd(base, from: p + 1, end: end)
            guard next < end, base[next] == UInt8(ascii: "\"") else { break }
            p = next
        }
        position = p
    }

    /// Skips a member `"key": integer` whose key has no escape or control character and whose
    /// value is a plain integer (UTF-8 not checked, as in skipped strings); false, with nothing
    /// read, for any other member.
    @inline(__always)
    private mutating func skipPlainIntegerMember() -> Bool {
        let base = bytes.baseAddress.unsafelyUnwrapped
        let end = bytes.count
        var p = position
        guard p < end, base[p] == UInt8(ascii: "\"") else { return false }
        p += 1
        while true {
            guard p + 8 <= end else { return false }
            let attention = Self.attentionBytes(Self.word(base, p))
            if attention == 0 { p += 8; continue }
            p += attention.trailingZeroBitCount >> 3
            guard base[p] == UInt8(ascii: "\"") else { return false }
            break
        }
        p = Self.whitespaceEnd(base, from: p + 1, end: end)
        guard p < end, base[p] == UInt8(ascii: ":") else { return false }
        p = Self.whitespaceEnd(base, from: p + 1, end: end)
        let digitsStart = p
        if p + 8 <= end { p = Self.digitWord(base, at: p).end }
        while p < end, base[p] &- UInt8(ascii: "0") <= 9 { p += 1 }
        guard p > digitsStart, p == digitsStart + 1 || base[digitsStart] != UInt8(ascii: "0") else { return false }
        if p < end, base[p] == UInt8(ascii: ".") || base[p] | 0x20 == UInt8(ascii: "e") { return false }
        position = p
        return true
    }

    /// The 8 bytes at `offset` of `base`, the first in the low byte.
    @inline(__always)
    static func word(_ base: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The offset of the first byte at or after `start` that is not JSON whitespace (`end` if
    /// none); runs of spaces, as in indentation, 8 at a time.
    @inline(__always)
    private static func whitespaceEnd(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
        var p = start
        while p < end {
            let b = base[p]
            if b == 0x20, p + 8 <= end {
                p += (word(base, p) ^ 0x2020_2020_2020_2020).trailingZeroBitCount >> 3   // at least 1
            } else if isWhitespace(b) {
                p += 1
            } else {
                break
            }
        }
        return p
    }

    /// Skips a string (escapes and control characters checked, UTF-8 not).
    private mutating func skipString() throws(VocabularyError) {
        let start = position
        position += 1
        while position < bytes.count {
            _ = skipPlainStringBytes()
            guard position < bytes.count else { break }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; return }
            if b == UInt8(ascii: "\\") {
                guard position + 1 < bytes.count else { break }
                switch bytes[position + 1] {
                case UInt8(ascii: "u"):
                    position += 2
                    _ = try hex4()
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                default:
                    throw syntaxError("invalid escape in a string")
                }
                continue
            }
            if b < 0x20 { throw syntaxError("unescaped control character in a string") }
            position += 1
        }
        throw failure(.malformedJSON, "unterminated string", at: start)
    }

    /// Skips a number, checking the RFC 8259 number grammar.
    private mutating func skipNumber() throws(VocabularyError) {
        let start = position
        func digits(_ s: inout JSONByteScanner) -> Int {
            let from = s.position
            while s.position < s.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(s.bytes[s.position]) {
                s.position += 1
            }
            return s.position - from
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let intStart = position
        let intDigits = digits(&self)
        guard intDigits > 0, intDigits == 1 || bytes[intStart] != UInt8(ascii: "0") else {
            throw failure(.malformedJSON, "invalid number", at: start)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw failure(.malformedJSON, "invalid number", at: start) }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits(&self) > 0 else { throw failure(.malformedJSON, "invalid number", at: start) }
        }
    }

    private mutating func literal(_ word: StaticString) throws(VocabularyError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw syntaxError("invalid literal") }
        let p = word.utf8Start
        for i in 0..<count where bytes[position + i] != p[i] { throw syntaxError("invalid literal") }
        position += count
    }
}
