/// GPT-2's byte↔unicode map, used by byte-level BPE vocabularies (GPT-2, Llama 3, Qwen…).
///
/// Every byte is spelled as one printable character: the bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` as
/// the character with that code point, the other 68 bytes (controls, space, DEL, NBSP, soft
/// hyphen) as U+0100, U+0101, … in byte order. So `Ġ` (U+0120) is a space and `Ċ` (U+010A) a newline.
enum ByteLevelAlphabet {
    /// The code points of the alphabet are below this one.
    static let scalarLimit = 0x144

    /// The byte each code point below `scalarLimit` stands for, or -1 for code points outside the map.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: scalarLimit)
        var next = 0x100
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Int16(byte)
            } else {
                table[next] = Int16(byte)
                next += 1
            }
        }
        return table
    }()

    /// Writes the bytes `piece` (UTF-8 text in the byte-level alphabet) stands for to `out`,
    /// which has room for `piece.count` bytes, and returns how many it wrote. A character outside
    /// the alphabet stands for its own UTF-8 bytes, as in the Hugging Face decoder. `table` is
    /// `byteForScalar`.
    @inline(__always)
    static func decode(_ piece: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>,
                       table: UnsafeBufferPointer<Int16>) -> Int {
        var i = 0
        var written = 0
        let n = piece.count
        while i < n {
            let b0 = piece[i]
            if b0 < 0x80 {
                let mapped = table[Int(b0)]
                out[written] = mapped >= 0 ? UInt8(mapped) : b0
                written += 1
                i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < n {
                let scalar = Int(b0 & 0x1F) << 6 | Int(piece[i + 1] & 0x3F)
                if scalar < table.count, table[scalar] >= 0 {
                    out[written] = UInt8(table[scalar])
                    written += 1
                } else {
                    out[written] = b0
                    out[written + 1] = piece[i + 1]
                    written += 2
                }
                i += 2
            } else {
                out[written] = b0
                written += 1
                i += 1
            }
        }
        return written
    }
}
