/// The library-free `tokens.jsonl` format: one line per token id,
/// `{"id": N, "bytes_hex": "<lowercase hex of the token's bytes>", "special": true|false}`.
enum TokensJSONL {
    /// The tokens of `bytes`, a whole `tokens.jsonl`. Lines may come in any id order and
    /// members in any order; `special` defaults to false, other members are ignored, blank
    /// lines are skipped.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(VocabularyError) -> TokenTable {
        var table = TokenTable(capacity: bytes.count / 40, byteCapacity: bytes.count / 8)
        var s = JSONByteScanner(bytes)
        var escaped: [UInt8] = []
        let keys = ["id", "bytes_hex", "special"].map { Array($0.utf8) }
        while !s.atEnd() {
            let lineOffset = s.position
            try s.beginObject("a tokens.jsonl line")
            var id: Int?
            var hexBytes: Range<Int>?
            var special = false
            var first = true
            while try s.nextMember(&first) {
                switch try s.key(among: keys) {
                case 0:
                    id = try s.integer("'id'")
                case 1:
                    guard s.peek() == UInt8(ascii: "\"") else { throw s.shapeError("'bytes_hex'", expected: "a string") }
                    let start = table.storage.count
                    let valid: Bool
                    if let plain = try s.plainString() {
                        valid = appendHex(plain, to: &table.storage)
                    } else {
                        escaped.removeAll(keepingCapacity: true)
                        try s.string(appendingTo: &escaped)
                        valid = escaped.withUnsafeBufferPointer { appendHex($0, to: &table.storage) }
                    }
                    guard valid else {
                        throw s.failure(.invalidToken, "'bytes_hex' must be an even number of hex digits", at: lineOffset)
                    }
                    hexBytes = start..<table.storage.count
                case 2:
                    special = try s.bool("'special'")
                default:
                    try s.skipValue()
                }
            }
            while s.position < bytes.count, bytes[s.position] == 0x20 || bytes[s.position] == 0x09 || bytes[s.position] == 0x0D {
                s.position += 1
            }
            guard s.position == bytes.count || bytes[s.position] == 0x0A else {
                throw s.syntaxError("expected the end of the line after the object")
            }
            guard let id, let hexBytes else {
                throw s.failure(.unexpectedShape, "a line needs an integer 'id' and a string 'bytes_hex'", at: lineOffset)
            }
            do throws(VocabularyError) {
                try table.define(id, bytes: hexBytes, special: special)
            } catch {
                throw s.failure(error.code, error.message, at: lineOffset)
            }
        }
        return table
    }

    /// Appends the bytes `hex` spells to `out`; false when it is not an even number of hex digits.
    private static func appendHex(_ hex: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        guard hex.count % 2 == 0 else { return false }
        var i = 0
        while i < hex.count {
            guard let high = HexDigits.value(of: hex[i]), let low = HexDigits.value(of: hex[i + 1]) else { return false }
            out.append(high << 4 | low)
            i += 2
        }
        return true
    }
}

extension Vocabulary {
    /// The vocabulary in the `tokens.jsonl` format: one line per defined id, ascending,
    /// `{"id": N, "bytes_hex": "…", "special": true|false}` with lowercase hex, each line ending
    /// in a newline — byte for byte the layout of the shared vocabulary files, so outputs diff.
    /// Padding ids past `definedCount` are not written; EOS ids are not part of the format.
    public func tokensJSONL() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(definedCount * 48)
        let hex = HexDigits.lowercase
        for id in 0..<definedCount {
            out.append(contentsOf: #"{"id": "#.utf8)
            out.append(contentsOf: String(id).utf8)
            out.append(contentsOf: #", "bytes_hex": ""#.utf8)
            for byte in bytes(of: id) {
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
            out.append(contentsOf: isSpecial(id) ? #"", "special": true}"#.utf8 : #"", "special": false}"#.utf8)
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
