extension JSONByteScanner {
    /// How the pieces of a `{"piece": id, …}` vocabulary are decoded while they are read: the
    /// spellings whose ASCII bytes stand for themselves, so that a piece is copied a word at a
    /// time and only its non-ASCII characters are looked at.
    enum PieceSpelling {
        /// GPT-2's byte↔unicode alphabet (`ByteLevelAlphabet`).
        case byteLevel
        /// SentencePiece: `▁` is a space; with `byteFallback`, a `<0xNN>` piece is that byte.
        case sentencePiece(byteFallback: Bool)

        /// The spelling `decoding` uses, when it is one of these.
        init?(_ decoding: PieceDecoding) {
            switch decoding {
            case .byteLevel: self = .byteLevel
            case .sentencePiece(let byteFallback): self = .sentencePiece(byteFallback: byteFallback)
            case .wordPiece: return nil
            }
        }

        /// The decoding this spelling is.
        var decoding: PieceDecoding {
            switch self {
            case .byteLevel: .byteLevel
            case .sentencePiece(let byteFallback): .sentencePiece(byteFallback: byteFallback)
            }
        }
    }

    /// The result of `pieceMember`: the sizes of what it wrote and the member's integer.
    struct PieceMember {
        /// The bytes of the key as written (JSON-decoded UTF-8, here the key's own bytes).
        var rawCount: Int
        /// The bytes the key stands for.
        var decodedCount: Int
        /// The member's value.
        var id: Int
    }

    /// Reads a member `"piece": id` of a vocabulary in one pass: the key's bytes are copied to
    /// `raw` and decoded as `spelling` says to `decoded`, its UTF-8 checked on the way; the value
    /// is a plain non-negative integer of at most 18 digits. Both outputs need room for the key
    /// plus 8 bytes (whole words are stored). Returns nil, with nothing read, for any other
    /// member (an escape or control character in the key, another value, the end of the input
    /// near): `key(appendingTo:)` and `integer(_:)` then read it and report what is wrong.
    ///
    /// `alphabet` is `ByteLevelAlphabet.byteForScalar`.
    @inline(__always)
    mutating func pieceMember(_ spelling: PieceSpelling, raw: UnsafeMutablePointer<UInt8>,
                              decoded: UnsafeMutablePointer<UInt8>, alphabet: UnsafePointer<Int16>) -> PieceMember? {
        let base = bytes.baseAddress.unsafelyUnwrapped
        let end = bytes.count
        var p = position
        guard p < end, base[p] == UInt8(ascii: "\"") else { return nil }
        p += 1
        let keyStart = p
        var decodedCount = 0
        // The key: a word at a time up to the first byte that needs attention.
        while true {
            guard p + 8 <= end else { return nil }
            let w = Self.word(base, p)
            UnsafeMutableRawPointer(decoded + decodedCount).storeBytes(of: w, toByteOffset: 0, as: UInt64.self)
            let attention = Self.attentionBytes(w) | w & 0x8080_8080_8080_8080
            let plain = attention.trailingZeroBitCount >> 3   // 8 when none
            p += plain
            decodedCount += plain
            if attention == 0 { continue }
            let b0 = base[p]
            if b0 == UInt8(ascii: "\"") { break }
            guard b0 >= 0x80 else { return nil }   // an escape or a control character
            let length = UTF8Validation.sequenceLength(base + p, available: end - p)
            guard length > 0 else { return nil }
            switch spelling {
            case .byteLevel where length == 2:
                let scalar = Int(b0 & 0x1F) << 6 | Int(base[p + 1] & 0x3F)
                if scalar < ByteLevelAlphabet.scalarLimit, alphabet[scalar] >= 0 {
                    decoded[decodedCount] = UInt8(truncatingIfNeeded: alphabet[scalar])
                    decodedCount += 1
                } else {
                    decoded[decodedCount] = b0
                    decoded[decodedCount + 1] = base[p + 1]
                    decodedCount += 2
                }
            case .sentencePiece where length == 3 && b0 == 0xE2 && base[p + 1] == 0x96 && base[p + 2] == 0x81:
                decoded[decodedCount] = 0x20
                decodedCount += 1
            default:
                for k in 0..<length { decoded[decodedCount + k] = base[p + k] }
                decodedCount += length
            }
            p += length
        }
        // The key as written: it has no escape, so its bytes in the document (a word at a
        // time: the last word ends 7 bytes past the key at most).
        guard p + 8 <= end else { return nil }
        let rawCount = p - keyStart
        var k = 0
        while k < rawCount {
            let w = UnsafeRawPointer(base + keyStart + k).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(raw + k).storeBytes(of: w, toByteOffset: 0, as: UInt64.self)
            k += 8
        }
        p += 1
        // `:` and the id.
        while p < end, Self.isWhitespace(base[p]) { p += 1 }
        guard p < end, base[p] == UInt8(ascii: ":") else { return nil }
        p += 1
        while p < end, Self.isWhitespace(base[p]) { p += 1 }
        let digitsStart = p
        var id = 0
        if p + 8 <= end {
            // Up to 8 digits at once (every id of a vocabulary), then any more one by one.
            (id, p) = Self.digitWord(base, at: p)
        }
        while p < end {
            let digit = base[p] &- UInt8(ascii: "0")
            if digit > 9 { break }
            id = id &* 10 &+ Int(digit)
            p += 1
        }
        let digits = p - digitsStart
        let next = p < end ? base[p] : 0
        guard digits > 0, digits <= 18, digits == 1 || base[digitsStart] != UInt8(ascii: "0"),
              next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e") else { return nil }
        if case .sentencePiece(byteFallback: true) = spelling, rawCount == 6,
           let byte = PieceDecoding.fallbackByte(UnsafeBufferPointer(start: raw, count: 6)) {
            decoded[0] = byte
            decodedCount = 1
        }
        position = p
        return PieceMember(rawCount: rawCount, decodedCount: decodedCount, id: id)
    }

    /// Consumes a `,` between two members of an object when a key follows it (after
    /// whitespace); false, with nothing consumed, otherwise (`nextMember` then takes over).
    @inline(__always)
    mutating func memberSeparator() -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return false }
        let comma = position
        position += 1
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            position = comma
            return false
        }
        return true
    }

    /// The high bit of the lowest byte of `w` that is `"`, `\` or a control character (and maybe
    /// of bytes above it): zero when none is.
    @inline(__always)
    static func attentionBytes(_ w: UInt64) -> UInt64 {
        zeroBytes(w ^ 0x2222_2222_2222_2222) | zeroBytes(w ^ 0x5C5C_5C5C_5C5C_5C5C)
            | (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
    }

    /// The value of the decimal digits that start the 8 bytes at `p` (none to 8 of them), and
    /// the offset after them.
    @inline(__always)
    static func digitWord(_ base: UnsafePointer<UInt8>, at p: Int) -> (value: Int, end: Int) {
        let w = word(base, p)
        // A byte is a digit when it is 0x3_ and stays so plus 6; a carry out of a byte above
        // 0xF9 only disturbs the bytes after it.
        let high = 0xF0F0_F0F0_F0F0_F0F0 as UInt64, digitHigh = 0x3030_3030_3030_3030 as UInt64
        let notDigit = (w & high ^ digitHigh) | ((w &+ 0x0606_0606_0606_0606) & high ^ digitHigh)
        let flags = ((notDigit & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F | notDigit) & 0x8080_8080_8080_8080
        let count = flags.trailingZeroBitCount >> 3
        guard count > 0 else { return (0, p) }
        // The digits as the last `count` of 8 (leading zeros before them), first digit lowest.
        var v = (w &- digitHigh) << (8 * UInt64(8 - count))
        v = (v &* 10 &+ v >> 8) & 0x00FF_00FF_00FF_00FF
        v = (v &* 100 &+ v >> 16) & 0x0000_FFFF_0000_FFFF
        v = (v &* 10000 &+ v >> 32) & 0x0000_0000_FFFF_FFFF
        return (Int(v), p + count)
    }

    /// Whether `b` is JSON whitespace.
    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }
}
