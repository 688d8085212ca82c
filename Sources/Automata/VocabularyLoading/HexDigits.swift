/// Hexadecimal digits, as used by `bytes_hex`, `<0xNN>` byte pieces and `\u` escapes.
package enum HexDigits {
    /// The value of one hex digit (either case), or nil.
    @inline(__always)
    package static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    /// The lowercase digits `0`–`9`, `a`–`f`, indexed by value.
    static let lowercase: [UInt8] = Array("0123456789abcdef".utf8)
}
