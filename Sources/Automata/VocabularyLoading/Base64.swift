/// Standard base64 (RFC 4648, `+/`, `=` padding) decoding.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        return table
    }()

    /// Appends the bytes `text` encodes to `out`; false (with `out` partly appended) when `text`
    /// is not padded base64.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        guard text.count % 4 == 0 else { return false }
        let padding = text.reversed().prefix(2).prefix { $0 == UInt8(ascii: "=") }.count
        return values.withUnsafeBufferPointer { values in
            var i = 0
            while i < text.count {
                var group: UInt32 = 0
                let last = i + 4 == text.count
                for k in 0..<4 {
                    let c = text[i + k]
                    if last, k >= 4 - padding {
                        group <<= 6
                        continue
                    }
                    let v = values[Int(c)]
                    guard v != 0xFF else { return false }
                    group = group << 6 | UInt32(v)
                }
                out.append(UInt8(truncatingIfNeeded: group >> 16))
                if !(last && padding == 2) { out.append(UInt8(truncatingIfNeeded: group >> 8)) }
                if !(last && padding >= 1) { out.append(UInt8(truncatingIfNeeded: group)) }
                i += 4
            }
            return true
        }
    }
}
