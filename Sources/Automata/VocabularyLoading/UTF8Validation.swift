/// UTF-8 checks on raw byte runs, without building a `String`, and the encoder.
package enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or scalars past U+10FFFF).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            if bytes[i] < 0x80 { i += 1; continue }
            let length = sequenceLength(bytes.baseAddress! + i, available: n - i)
            guard length > 0 else { return false }
            i += length
        }
        return true
    }

    /// The length of the well-formed UTF-8 sequence of 2 to 4 bytes at `p`, which starts with
    /// a byte of 0x80 or more and has `available` bytes from `p` on; 0 when it is not one.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        let b0 = p[0]
        let length: Int
        let secondRange: ClosedRange<UInt8>
        switch b0 {
        case 0xC2...0xDF: length = 2; secondRange = 0x80...0xBF
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; secondRange = 0x80...0xBF
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4; secondRange = 0x80...0xBF
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return 0
        }
        guard length <= available, secondRange.contains(p[1]) else { return 0 }
        for k in 2..<length where p[k] & 0xC0 != 0x80 { return 0 }
        return length
    }

    /// Appends the UTF-8 encoding of `codePoint` to `out`; a lone surrogate (which JSON `\u`
    /// escapes can spell) gets its 3-byte generalized form, so equal escapes give equal bytes.
    package static func append(codePoint v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
