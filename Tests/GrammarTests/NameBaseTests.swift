import Testing
@testable import Grammar

/// `SchemaGrammarBuilder.nameBase(from:)` writes the rule names' base into scratch memory: it
/// must give what the byte-array version gave on any pointer, valid or not.
@Suite struct NameBaseTests {
    /// The former implementation (an array appended a byte at a time), the reference.
    private static func referenceNameBase(from pointer: String) -> String {
        // The tokens' ASCII letters and digits, other scalars as `_`, tokens joined by `-`
        // (nothing unless the pointer is valid); read in one pass over the UTF-8, in place
        // (the pointers of deep schemas are long, and an iterator over a substring's UTF-8
        // view cost tens of instructions a byte).
        var pointer = pointer
        var bytes: [UInt8] = pointer.withUTF8 { utf8 in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count)
            var i = 0
            if utf8.first == UInt8(ascii: "@") { i = utf8.firstIndex(of: UInt8(ascii: "/")) ?? utf8.count }
            guard i < utf8.count, utf8[i] == UInt8(ascii: "/") else { return bytes }
            var tokenStart = 0
            // A `$defs` token (now `_defs`) becomes `def`.
            func endToken(_ bytes: inout [UInt8]) {
                if bytes.count - tokenStart == 5, bytes[tokenStart] == UInt8(ascii: "_"), bytes[tokenStart + 1] == UInt8(ascii: "d"),
                   bytes[tokenStart + 2] == UInt8(ascii: "e"), bytes[tokenStart + 3] == UInt8(ascii: "f"), bytes[tokenStart + 4] == UInt8(ascii: "s") {
                    bytes.removeLast(5)
                    bytes += [UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "f")]
                }
            }
            var escaping = false
            for index in (i + 1)..<utf8.count {
                let byte = utf8[index]
                if escaping {
                    // `~0` is `~`, `~1` is `/`: both become `_`; any other escape makes the pointer invalid.
                    guard byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1") else { bytes.removeAll(); break }
                    bytes.append(UInt8(ascii: "_"))
                    escaping = false
                    continue
                }
                switch byte {
                case UInt8(ascii: "/"):
                    endToken(&bytes)
                    bytes.append(UInt8(ascii: "-"))
                    tokenStart = bytes.count
                case UInt8(ascii: "~"): escaping = true
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: bytes.append(byte)
                case 0x80...0xBF: break  // a continuation byte of a scalar already written as `_`
                default: bytes.append(UInt8(ascii: "_"))
                }
            }
            if escaping { bytes.removeAll() } else { endToken(&bytes) }
            return bytes
        }
        if bytes.count > 60 { bytes.removeFirst(bytes.count - 60) }
        return bytes.isEmpty ? "schema" : String(decoding: bytes, as: UTF8.self)
    }

    /// Pointers from random tokens: `$defs`, escapes valid and not, non-ASCII scalars, a
    /// trailing `~`, `@…` prefixes, empty tokens, and lengths past 60 bytes.
    @Test func matchesTheByteArrayVersion() {
        var random = SplitMix64(seed: 11)
        let tokens = ["$defs", "_defs", "defs", "properties", "a", "Z9", "~0", "~1", "~2", "~", "é", "🙂", "io.k8s.api.core.v1.PodSpec",
                      "", "$def", "x y", "0", "items", "\u{1}2"]
        var pointers = ["", "/", "//", "@", "@/", "@x", "@x/", "@x/a", "#/a", "a/b", "/$defs", "/$defs/", "/~", "/a~", "/~01"]
        for _ in 0..<2000 {
            var pointer = ["", "/", "@r/", "@/", "x"][Int(random.next() % 5)]
            for _ in 0..<Int(random.next() % 14) {
                pointer += tokens[Int(random.next() % UInt64(tokens.count))]
                if random.next() % 4 != 0 { pointer += "/" }
            }
            pointers.append(pointer)
        }
        for pointer in pointers {
            #expect(SchemaGrammarBuilder.nameBase(from: pointer) == Self.referenceNameBase(from: pointer), "\(pointer)")
        }
    }
}
