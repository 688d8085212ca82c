import Testing
@testable import Automata

/// `ByteBits`, the 256-bit byte sets of the plain-text questions about byte edges.
@Suite struct ByteBitsTests {
    /// Ranges within a word, across words and over all bytes hold exactly their bytes.
    @Test func rangesHoldTheirBytes() {
        func bytes(_ bits: ByteBits) -> [Int] { (0..<256).filter { bits.words[$0 >> 6] >> UInt64($0 & 63) & 1 == 1 } }
        for (low, high) in [(0, 0), (5, 9), (60, 70), (63, 64), (0, 255), (200, 255), (255, 255), (10, 190)] {
            let bits = ByteBits(UInt8(low), UInt8(high))
            #expect(bytes(bits) == Array(low...high), "\(low)...\(high)")
            #expect(bits.count == high - low + 1)
        }
        var union = ByteBits(0x30, 0x39)
        union.formUnion(ByteBits(0x41, 0x46))
        #expect(union.count == 16)
        #expect(union.intersection(ByteBits(0x35, 0x42)).count == 7)
        #expect(union.isSuperset(of: ByteBits(0x41, 0x43)) && !union.isSuperset(of: ByteBits(0x39, 0x41)))
    }

    /// The plain-text first bytes are those `PlainText.next` leaves the start state with.
    @Test func plainFirstBytes() {
        for b in 0...255 {
            #expect(PlainText.firstBytes.isSuperset(of: ByteBits(UInt8(b), UInt8(b))) == (PlainText.next(0, UInt8(b)) >= 0), "\(b)")
        }
    }
}
