import Testing
@testable import Grammar

/// `SchemaGrammarBuilder.scopeMarkOffset(in:)` finds an atom's dynamic-scope mark a word at a
/// time: it must give the first byte 1, as a byte-wise search does, wherever the 1s, 0s and
/// high bytes (which a zero-byte test can misread) fall.
@Suite struct ScopeMarkOffsetTests {
    @Test func findsTheFirstMark() {
        var random = SplitMix64(seed: 5)
        let pool: [UInt8] = [0, 1, 1, 2, 0x80, 0x81, 0xFE, 0xFF, 0x2F, 0x61, 0x7F]
        for _ in 0..<3000 {
            let bytes = (0..<Int(random.next() % 40)).map { _ in
                random.next() % 3 == 0 ? pool[Int(random.next() % UInt64(pool.count))] : UInt8(truncatingIfNeeded: random.next() % 3 == 0 ? random.next() : 0x61)
            }
            bytes.withUnsafeBufferPointer { buffer in
                #expect(SchemaGrammarBuilder.scopeMarkOffset(in: buffer) == bytes.firstIndex(of: 1), "\(bytes)")
            }
        }
        #expect(SchemaGrammarBuilder.scopeMarkOffset(in: UnsafeBufferPointer(start: nil, count: 0)) == nil)
        let atom = "/properties/a\u{1}12"
        #expect(SchemaGrammarBuilder.location(of: atom)! == ("/properties/a", 12))
    }
}
