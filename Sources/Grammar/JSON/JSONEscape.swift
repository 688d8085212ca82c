/// The escapes of a JSON string (RFC 8259 §7), shared by the parsers that decode them.
package enum JSONEscape {
    /// The byte a one-character escape `\e` stands for, or nil when `e` is `u` or no escape.
    @inline(__always)
    package static func byte(escapedBy e: UInt8) -> UInt8? {
        switch e {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The scalar value a UTF-16 surrogate pair `\uHHHH\uLLLL` stands for (`high` in D800–DBFF, `low` in DC00–DFFF).
    @inline(__always)
    package static func scalarValue(high: UInt32, low: UInt32) -> UInt32 {
        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    }
}
